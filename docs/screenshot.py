"""Remake docs/report.png, the README's picture of ``toolkit report seeds/``.

The corpus view above, a document view (the third seed, 《人民日报》) below,
taken by headless Chromium and reduced to 256 colours so the PNG stays small.

    python docs/screenshot.py        # needs chromium and pillow (pip install -e '.[test]')
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT, SCALE = 1280, 860, 0.72
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def shoot(page: Path, fragment: str, out: Path, profile: Path) -> None:
    chromium = shutil.which("chromium") or sys.exit("chromium is not installed")
    subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
                    f"--screenshot={out}", page.as_uri() + fragment], check=True, capture_output=True)


def main() -> None:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        page = tmp / "report.html"
        subprocess.run([sys.executable, "-m", "toolkit", "report", "seeds", "-o", str(page)], check=True, cwd=REPO)
        shoot(page, "", tmp / "corpus.png", tmp / "p1")
        # The document view as a reader sees it after following its link; headless Chromium
        # captures a scrolled page with a band missing at the top, so the view is opened unscrolled.
        opened = tmp / "opened.html"
        opened.write_text(page.read_text(encoding="utf-8").replace(
            "</style>", "#corpus,header.top{display:none}#d3{display:block}</style>", 1), encoding="utf-8")
        shoot(opened, "", tmp / "doc.png", tmp / "p2")
        parts = [Image.open(tmp / name).convert("RGB") for name in ("corpus.png", "doc.png")]
    gap = 6
    sheet = Image.new("RGB", (WIDTH, 2 * HEIGHT + gap), (120, 120, 120))
    sheet.paste(parts[0], (0, 0))
    sheet.paste(parts[1], (0, HEIGHT + gap))
    size = (round(sheet.width * SCALE), round(sheet.height * SCALE))
    sheet = sheet.resize(size, Image.LANCZOS).quantize(colors=256, method=Image.MEDIANCUT)
    out = REPO / "docs" / "report.png"
    sheet.save(out, optimize=True)
    print(f"{out.relative_to(REPO)}: {size[0]}×{size[1]}, {out.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
