"""`turnero central …` from a shell: tokens printed once, plain-Spanish refusals, migrations
recorded and a newer schema refused."""

from __future__ import annotations

import psycopg
import pytest

from central.service import CentralService, CentralSettings
from central.storage import CentralStore
from server.errors import Invalid
from tests.central.conftest import turnero


def test_office_add_prints_the_token_once_and_refuses_a_repeated_code(central_dsn: str
                                                                      ) -> None:
    done = turnero("central", "office", "add", "ALC-01", "--name", "Alcaldía de Uno",
                   "--database", central_dsn)
    assert done.returncode == 0, done.stderr
    *text, token = done.stdout.strip().splitlines()
    assert "no se mostrará de nuevo" in " ".join(text) and len(token) >= 40
    with psycopg.connect(central_dsn) as conn:
        stored = conn.execute("SELECT token_hash FROM offices WHERE code = 'ALC-01'").fetchone()
    assert stored is not None and token not in stored[0]  # kept hashed

    again = turnero("central", "office", "add", "ALC-01", "--name", "Otra",
                    "--database", central_dsn)
    assert again.returncode == 2 and "ya existe" in again.stderr


def test_bad_codes_and_short_passwords_are_refused_in_spanish(central_dsn: str) -> None:
    store = CentralStore.open(central_dsn, max_size=1)
    service = CentralService(store, CentralSettings(central_dsn))
    try:
        with pytest.raises(Invalid, match="Código de oficina"):
            service.add_office("con espacios", "X")
        with pytest.raises(Invalid, match="al menos 10 caracteres"):
            service.add_user("gob", "admin", "corta")
        with pytest.raises(Invalid, match="Rol"):
            service.add_user("gob", "clerk", "suficientemente-larga")
    finally:
        store.close()


def test_migrations_are_recorded_and_a_newer_database_is_refused(central_dsn: str) -> None:
    with psycopg.connect(central_dsn) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM _migrations")]
        assert names == ["001_initial", "002_transfer_first_counter", "003_stored_summaries",
                         "004_audit"]
        conn.execute("INSERT INTO _migrations (name) VALUES ('099_del_futuro')")
    done = turnero("central", "serve", "--database", central_dsn, "--port", "1")
    assert done.returncode == 2
    assert "migraciones que este programa no conoce (099_del_futuro)" in done.stderr
    nowhere = turnero("central", "serve")
    assert nowhere.returncode == 2 and "Falta --database" in nowhere.stderr
