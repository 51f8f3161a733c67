"""Redraw docs/vector.png: two fixtures, their vector SVGs and one-ink SVGs, rendered.

Run from the repository root after `cargo build --release`:
    python3 docs/vector-figure.py
Needs Pillow and resvg_py (`pip install pillow resvg_py`); not part of the test suite.
"""

import io
import os
import subprocess
import tempfile

import resvg_py
from PIL import Image, ImageDraw

INPUTS = ["fixtures/mascot_transparent.png", "fixtures/badge_on_white.png"]
CELL = 300


def render(svg_path):
    png = resvg_py.svg_to_bytes(svg_path=svg_path)
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")


def cell(image, label):
    out = Image.new("RGB", (CELL, CELL + 24), "white")
    image = image.copy()
    image.thumbnail((CELL - 20, CELL - 20))
    x, y = (CELL - image.width) // 2, 24 + (CELL - image.height) // 2
    out.paste(image, (x, y), image if image.mode == "RGBA" else None)
    ImageDraw.Draw(out).text((6, 6), label, fill="black")
    return out


def main():
    cells = []
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            ["target/release/logoproc", "build", *INPUTS, "-o", out,
             "--variation", "vector", "-q"],
            check=True, stdout=subprocess.DEVNULL,
        )
        for path in INPUTS:
            stem = os.path.splitext(os.path.basename(path))[0]
            source = Image.open(path).convert("RGBA")
            colour = f"{out}/{stem}/vector/{stem}.svg"
            mono = f"{out}/{stem}/vector/{stem}-mono.svg"
            cells += [
                cell(source, f"input PNG ({source.width}x{source.height})"),
                cell(render(colour), f"logoproc vector SVG ({os.path.getsize(colour)} bytes)"),
                cell(render(mono), f"one-ink SVG ({os.path.getsize(mono)} bytes)"),
            ]
    figure = Image.new("RGB", (CELL * len(cells), CELL + 24), "white")
    for i, c in enumerate(cells):
        figure.paste(c, (i * CELL, 0))
    figure.save("docs/vector.png", optimize=True)


if __name__ == "__main__":
    main()
