"""The seeds' report in headless Chromium: a page that draws, lists every document, logs nothing.

Chromium is Debian's ``chromium`` (``.ci/run`` installs it and ``fonts-noto-cjk`` when missing);
where it is absent these tests are skipped. Console output is read from Chromium's log on stderr
(``--enable-logging=stderr``), which carries every console message and uncaught exception of
the page as a ``CONSOLE`` line: the report logs nothing, so any such line is a failure. That the
script ran to its end is read from the DOM (``data-ready`` on ``<html>``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
]


def chromium(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, url],
                          capture_output=True, text=True, timeout=120)


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory, seeds_dir) -> Path:
    from typer.testing import CliRunner

    from toolkit.cli import app

    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["report", str(seeds_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_console_check_catches_errors(tmp_path):
    """The check itself: a page that throws is caught (so a clean log below means something)."""
    page = tmp_path / "bad.html"
    page.write_text("<p>x</p><script>console.error('boom'); missing();</script>", encoding="utf-8")
    run = chromium(page.as_uri(), tmp_path, "--dump-dom")
    lines = console_lines(run.stderr)
    assert any("boom" in line for line in lines) and any("Uncaught" in line for line in lines)


def test_every_document_shown_without_console_errors(seeds_report, seed_paths, tmp_path):
    run = chromium(seeds_report.as_uri(), tmp_path, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_lines(run.stderr) == []
    dom = run.stdout
    assert re.search(r'<html[^>]*data-ready="1"', dom), "the page's script did not run to its end"
    rows = re.findall(r'<tr id="r-(d\d+)" data-doc=', dom)
    assert len(rows) == len(seed_paths)
    for path in seed_paths:
        assert f">{path.name}</a>" in dom  # a row linking to the document's view
    assert len(re.findall(r'<section class="doc" id="d\d+"', dom)) == len(seed_paths)


@pytest.mark.parametrize("fragment", ["", "#d5"])
def test_screenshot_is_not_blank(seeds_report, tmp_path, fragment):
    from PIL import Image

    shot = tmp_path / "shot.png"
    run = chromium(seeds_report.as_uri() + fragment, tmp_path, "--window-size=1280,1000", f"--screenshot={shot}")
    assert shot.exists(), run.stderr[-2000:]
    assert console_lines(run.stderr) == []
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1000)
    colours = image.getcolors(maxcolors=1 << 20) or []
    white = sum(n for n, rgb in colours if min(rgb) >= 245)
    ink = 1 - white / (image.size[0] * image.size[1])
    assert ink > 0.03, f"only {ink:.1%} of the screenshot is not white"
    assert len(colours) > 50  # text, bars and patterns, not a flat fill
    # the theme colours are drawn (Okabe-Ito governance blue, industry orange)
    rgbs = {rgb for _, rgb in colours}
    assert (0, 114, 178) in rgbs and (230, 159, 0) in rgbs
