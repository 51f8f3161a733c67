"""Redraw docs/separations.png: a four-colour logo's spot films and their composite, and a
gradient logo's CMYK process films and composite, with a close-up of the screens.

Run from the repository root after `cargo build --release`:
    python3 docs/separations-figure.py
Needs Pillow; not part of the test suite.
"""

import json
import os
import subprocess
import tempfile

from PIL import Image, ImageDraw

INPUTS = ["fixtures/wide_on_flat_colour.png", "fixtures/corpus/dart/white.png"]
CELL = 260


def cell(image, label, back="white"):
    out = Image.new("RGB", (CELL, CELL + 24), "white")
    image = image.copy()
    image.thumbnail((CELL - 12, CELL - 12))
    x, y = (CELL - image.width) // 2, 24 + (CELL - image.height) // 2
    frame = Image.new("RGB", image.size, back)
    out.paste(frame, (x, y))
    out.paste(image, (x, y), image if image.mode in ("RGBA", "LA") else None)
    ImageDraw.Draw(out).text((6, 6), label, fill="black")
    return out


def film(path):
    """A film PNG (black on transparent) as black on the light film base."""
    alpha = Image.open(path).getchannel("A")
    base = Image.new("RGB", alpha.size, (236, 240, 244))
    base.paste((0, 0, 0), (0, 0), alpha)
    return base


def main():
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for i, src in enumerate(INPUTS):
            name = f"logo{i}.png"
            os.symlink(os.path.abspath(src), os.path.join(tmp, name))
            subprocess.run(
                [os.path.abspath("target/release/logoproc"), "build", name, "--variation", "separations", "-o", "out", "-q"],
                cwd=tmp,
                check=True,
            )
            sep = os.path.join(tmp, "out", f"logo{i}", "separations")
            inks = json.load(open(os.path.join(sep, "inks.json")))
            composite = Image.open(os.path.join(sep, "composite.png")).convert("RGBA")
            row = [cell(composite, f"composite ({inks['mode']})")]
            for ink in inks["inks"]:
                label = ink["film"] if inks["mode"] == "spot" else f"{ink['film']} {ink['angle']:g} deg"
                row.append(cell(film(os.path.join(sep, ink["film"] + ".png")), label[:40]))
            if inks["mode"] == "process":
                w, h = composite.size
                crop = composite.crop((w // 2 - 90, h // 2 - 90, w // 2 + 90, h // 2 + 90))
                row.insert(1, cell(crop.resize((CELL - 12, CELL - 12), Image.NEAREST), "composite, close-up"))
            rows.append(row)
        width = max(len(r) for r in rows) * CELL
        sheet = Image.new("RGB", (width, len(rows) * (CELL + 24)), "white")
        for y, row in enumerate(rows):
            for x, c in enumerate(row):
                sheet.paste(c, (x * CELL, y * (CELL + 24)))
        sheet.save("docs/separations.png", optimize=True)


main()
