"""Server logs: one greppable ``key=value`` line per event, rotated, and never a token or a
password in them (board and websocket addresses carry ``?token=`` in the query string)."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import websockets

from server.logs import REDACTED, redact
from tests.conftest import PASSWORD, ROOT, subprocess_env

LINE = re.compile(r'^time=\S+ level=(DEBUG|INFO|WARNING|ERROR|CRITICAL) logger=\S+ '
                  r'(msg=|client=)')


def test_a_day_of_requests_leaves_one_line_each_and_no_secret(make_server: Any,
                                                                tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "turnero.log"
    server = make_server(extra_args=["--log-file", str(log_file), "--log-level", "debug",
                                     "--access-log"])
    board = httpx.get(f"{server.base_url}/display?token={server.display_token}",
                      follow_redirects=False, timeout=10)
    assert board.status_code == 303
    session = server.login("clerk1", counter=1)
    server.issue("A")
    with server.client(session) as staff:
        assert staff.get("/api/v1/queue").status_code == 200
    refused = httpx.post(f"{server.base_url}/api/v1/auth/login",
                         json={"username": "clerk2", "password": PASSWORD + "-mal"}, timeout=10)
    assert refused.status_code == 401

    async def follow() -> None:
        url = f"{server.ws_url}/api/v1/events?token={server.display_token}"
        async with websockets.connect(url) as ws:
            await asyncio.wait_for(ws.recv(), 10)

    asyncio.run(follow())
    server.stop()

    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert lines, "the server wrote nothing"
    assert all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)]
    text = "\n".join(lines)
    for secret in (server.display_token, server.kiosk_token, session, PASSWORD):
        assert secret not in text
    assert re.search(rf'method=GET path="/display\?token={re.escape(REDACTED)}" status=303',
                     text)
    assert "method=POST path=/api/v1/tickets status=201" in text
    assert f"/api/v1/events?token={REDACTED}" in text  # the websocket, at debug level


def test_without_log_file_lines_go_to_standard_error_for_the_journal(tmp_path: Path) -> None:
    script = ("import logging, logging.config\n"
              "from server.logs import logging_config\n"
              "logging.config.dictConfig(logging_config())\n"
              "log = logging.getLogger('turnero')\n"
              "try:\n    raise ValueError('mal\\nhecho')\n"
              "except ValueError:\n"
              "    log.exception('falló con token=abc123 y {\"password\": \"secreta\"}')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=30, env=subprocess_env(), cwd=ROOT)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines  # the traceback folded into the same line
    assert LINE.match(lines[0]) and "level=ERROR logger=turnero" in lines[0]
    assert 'exc="Traceback' in lines[0] and "ValueError: mal\\nhecho" in lines[0]
    assert "abc123" not in lines[0] and "secreta" not in lines[0]


def test_the_log_file_is_rotated_by_size(tmp_path: Path) -> None:
    log_file = tmp_path / "turnero.log"
    script = ("import logging, logging.config, sys\nfrom pathlib import Path\n"
              "from server.logs import logging_config\n"
              "logging.config.dictConfig(logging_config(Path(sys.argv[1]), max_bytes=4000))\n"
              "log = logging.getLogger('turnero')\n"
              "for i in range(2000):\n    log.info('evento %d %s', i, 'x' * 60)\n")
    subprocess.run([sys.executable, "-c", script, str(log_file)], check=True, timeout=30,
                   env=subprocess_env(), cwd=ROOT)
    files = sorted(tmp_path.glob("turnero.log*"))
    assert [f.name for f in files] == ["turnero.log", *[f"turnero.log.{n}" for n in
                                                        range(1, 6)]]
    assert all(f.stat().st_size <= 4000 for f in files)
    assert "evento 1999 " in log_file.read_text(encoding="utf-8")


def test_redaction_covers_query_strings_bearer_headers_and_json_fields() -> None:
    line = ('GET /display?board=sala&token=s3cr3t-Tok_en&x=1 Authorization: Bearer abc.DEF-1 '
            '{"username": "ana", "password": "clave secreta"} csrf=zz9')
    clean = redact(line)
    for secret in ("s3cr3t-Tok_en", "abc.DEF-1", "clave secreta", "zz9"):
        assert secret not in clean
    assert "board=sala" in clean and "&x=1" in clean and '"username": "ana"' in clean
