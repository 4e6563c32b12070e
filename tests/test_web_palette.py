"""Grade colours people can tell apart: every fill against white (WCAG 1.4.11), every pair
under simulated colour-vision deficiencies and in greyscale, the letters on them; and a grade
never carried by colour alone on the map and the stacked bars."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import httpx
import pytest

CSS = Path(__file__).resolve().parents[1] / "src" / "ilacs" / "web" / "static" / "ilacs.css"
GRADES = ("outstanding", "good", "requires_improvement", "adequate", "inadequate")

# Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
SIMULATIONS: dict[str, tuple[tuple[float, float, float], ...]] = {
    "normal vision": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}
WHITE, BLACK = "#ffffff", "#0b0c0c"


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str, vision: str = "normal vision") -> float:
    """Relative luminance (WCAG) of the colour as someone with `vision` sees it; the
    luminance is also what a greyscale print of it shows."""
    rgb = [_linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5)]
    seen = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
            for row in SIMULATIONS[vision]]
    return 0.2126 * seen[0] + 0.7152 * seen[1] + 0.0722 * seen[2]


def contrast(a: float, b: float) -> float:
    low, high = sorted((a, b))
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def palette() -> dict[str, str]:
    text = CSS.read_text("utf-8")
    found = {name.replace("-", "_"): colour for name, colour in
             re.findall(r"--ilacs-([a-z-]+):\s*(#[0-9a-f]{6})", text)}
    return {grade: found[grade] for grade in GRADES}


def test_every_grade_fill_stands_out_from_white(palette: dict[str, str]) -> None:
    for grade, colour in palette.items():
        assert contrast(luminance(colour), 1.0) >= 3.0, (grade, colour)


@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_every_pair_of_grades_stays_apart(palette: dict[str, str], vision: str) -> None:
    """Before: Outstanding and Inadequate were 1.12:1 apart under protanopia. Now each pair
    differs in lightness by at least 1.25:1 whoever looks (normal vision is greyscale too)."""
    for (a, x), (b, y) in itertools.combinations(palette.items(), 2):
        apart = contrast(luminance(x, vision), luminance(y, vision))
        assert apart >= 1.25, f"{a} {x} and {b} {y}: {apart:.2f}:1 under {vision}"


def test_the_ramp_is_ordered_from_inadequate_to_outstanding(palette: dict[str, str]) -> None:
    order = ["inadequate", "requires_improvement", "good", "outstanding"]
    lightness = [luminance(palette[grade]) for grade in order]
    assert lightness == sorted(lightness)


def test_letters_and_words_on_each_fill_are_readable(palette: dict[str, str]) -> None:
    css = CSS.read_text("utf-8")
    dark_text = {"outstanding"}  # the CSS sets #0b0c0c on these, white on the rest
    assert re.search(r"text\.ilacs-grade--none, text\.ilacs-grade--outstanding \{ fill: #0b0c0c",
                     css)
    for grade, colour in palette.items():
        ink = BLACK if grade in dark_text else WHITE
        ratio = contrast(luminance(colour), luminance(ink))
        assert ratio >= 4.5, f"{grade} {colour} with {ink} text: {ratio:.2f}:1"


def test_map_tiles_and_stacked_bars_carry_the_grade_as_a_letter(client: httpx.Client) -> None:
    page = client.get("/").text
    tiles = re.findall(r'<rect class="ilacs-tile ilacs-grade--(\w+)".*?</rect>\s*'
                       r'<text[^>]*>[^<]*</text>\s*<text[^>]*>([^<]*)</text>', page, re.S)
    assert len(tiles) >= 150
    letters = {"outstanding": "O", "good": "G", "requires_improvement": "R",
               "adequate": "A", "inadequate": "I", "none": "–"}
    assert all(letters[grade] == letter for grade, letter in tiles), tiles[:5]
    bars = re.findall(r'<span class="ilacs-bar__part ilacs-grade--(\w+)" style="width: '
                      r'([\d.]+)%"[^>]*>([^<]*)</span>', page)
    # every part, however small its share: its letter is never left to colour alone
    assert any(float(width) < 6 for _, width, _ in bars), "no small part to check"
    assert bars and all(text == letters[grade] for grade, width, text in bars)
