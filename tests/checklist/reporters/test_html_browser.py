"""The HTML report opened in a real headless Chromium: the rendered DOM shows every section."""

from __future__ import annotations

import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from checklist.engine import evaluate
from checklist.reporters import html
from tests.conftest import require_tool


def _chromium(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",  # tests run as root, where Chromium's sandbox refuses to start
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--window-size=1280,2000",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


class _Sections(HTMLParser):
    """Section ids and the text of their h2 headings, as the browser's DOM has them."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self._current: str | None = None
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self._current = dict(attrs).get("id") or ""
            self.sections[self._current] = ""
        self._in_heading = tag == "h2" and self._current is not None

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading and self._current is not None:
            self.sections[self._current] += data


def test_report_renders_every_section_in_chromium(render_session, tmp_path: Path) -> None:
    binary = require_tool("chromium")
    report = evaluate(render_session("full"))
    page = tmp_path / "checklist.html"
    page.write_text(html.render(report), encoding="utf-8")

    dom = _chromium(binary, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parser = _Sections()
    parser.feed(dom.stdout)
    expected = {f"section-{s.section.id}": s.section.title for s in report.sections}
    assert parser.sections == expected

    screenshot = tmp_path / "checklist.png"
    shot = _chromium(binary, f"--screenshot={screenshot}", page.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
