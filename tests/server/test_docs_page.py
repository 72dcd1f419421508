"""/docs works offline under the strict CSP: Swagger UI from this server, nothing external."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveServer


@pytest.mark.browser
def test_api_docs_render_without_leaving_the_machine(live_server: LiveServer, browser: Any,
                                                      artifacts: Any) -> None:
    page = browser.new_page()
    requests: list[str] = []
    violations: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.base_url}/docs")
    page.get_by_text("/api/v1/tickets").first.wait_for(timeout=15000)
    page.screenshot(path=str(artifacts / "api-docs.png"))
    external = [u for u in requests if not u.startswith(live_server.base_url)
                and not u.startswith("data:")]
    assert external == []
    assert violations == []
    page.close()
