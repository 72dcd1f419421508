"""An in-process app (real FastAPI app, real SQLite file, lifespan run) for API tests that do
not need a separate process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient

from server.app import Settings, create_app
from server.auth import Passwords
from server.config import DEMO_CONFIG, OfficeConfig
from tests.conftest import PASSWORD, prepare_database


@dataclass
class App:
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def login(self, username: str, counter: int | None = None) -> str:
        body = {"username": username, "password": PASSWORD, "counter": counter}
        r = self.client.post("/api/v1/auth/login", json=body)
        assert r.status_code == 200, r.text
        self.client.cookies.clear()  # tests choose their credentials explicitly
        token: str = r.json()["token"]
        return token


@contextmanager
def running_app(tmp_path: Path, open_all_hours: bool = True,
                seed: OfficeConfig | None = None,
                tokens: dict[str, str] | None = None) -> Iterator[App]:
    """``tokens``: the device tokens of a database prepared by an earlier ``running_app`` on
    the same ``tmp_path`` (a restart: device names are unique, so they are not made again)."""
    db = tmp_path / "api.db"
    tokens = dict(tokens) if tokens is not None else prepare_database(db, seed=seed)
    app = create_app(Settings(db_path=db, config_path=DEMO_CONFIG,
                              open_all_hours=open_all_hours), seed=seed,
                     passwords=Passwords.cheap())
    with TestClient(app) as client:
        a = App(client, tokens)
        a.tokens["clerk"] = a.login("clerk1", counter=1)
        a.tokens["supervisor"] = a.login("super")
        a.tokens["admin"] = a.login("admin")
        yield a
