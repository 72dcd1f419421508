"""The panel's action labels stay readable on a 1366x768 screen: the key badge never covers
a word (the accent of "No se presentó" was hidden under it)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.conftest import LiveServer
from tests.web.conftest import sign_in

LABEL_RECTS = """(button) => {
  const text = [...button.childNodes]
    .find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(text);
  const kbd = button.querySelector("kbd").getBoundingClientRect();
  return { label: text.textContent.trim(),
           kbd: [kbd.left, kbd.top, kbd.right, kbd.bottom],
           words: [...range.getClientRects()].map((r) => [r.left, r.top, r.right, r.bottom]) };
}"""


def overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_no_key_badge_covers_an_action_label_at_1366x768(live_server: LiveServer,
                                                          browser: Browser) -> None:
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    live_server.issue("A")
    sign_in(page, live_server, "clerk1", counter=1)
    page.get_by_role("button", name="Llamar siguiente").click()
    noshow = page.locator("#btn-noshow")
    expect(noshow).to_be_enabled()
    for button in page.locator(".actions-grid .btn").all():
        found = button.evaluate(LABEL_RECTS)
        assert found["words"], found
        for word in found["words"]:
            assert not overlaps(word, found["kbd"]), found
    assert noshow.evaluate(LABEL_RECTS)["label"] == "No se presentó"
    page.context.close()
