"""Fitting an authority's initials into its map tile (32 units wide, the label 12.5 units
high): a label wider than its room is narrowed to fit, one that fits keeps its letters."""

from __future__ import annotations

from markupsafe import Markup

LABEL_UNITS = 12.5  # the label's font size in map units (ilacs.css, .ilacs-tile__label)
ROOM = 30  # the tile's 32 units less a unit each side
# Advance widths of Arial Bold (the map's font) in thousandths of an em; other characters
# are taken as wide as an 'n'.
_WIDTHS = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
    722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722,
    667, 611, 722, 667, 944, 667, 667, 611), strict=True))
_WIDTHS.update(zip("abcdefghijklmnopqrstuvwxyz", (
    556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389,
    556, 333, 611, 556, 778, 556, 556, 500), strict=True))
_DEFAULT = 611


def label_width(text: str) -> float:
    """The label's width in map units."""
    return sum(_WIDTHS.get(character, _DEFAULT) for character in text) * LABEL_UNITS / 1000


def tile_label_fit(text: str) -> Markup:
    """The SVG attributes that narrow a label wider than its tile (none for one that fits)."""
    if label_width(text) <= ROOM:
        return Markup("")
    return Markup(f' textLength="{ROOM}" lengthAdjust="spacingAndGlyphs"')
