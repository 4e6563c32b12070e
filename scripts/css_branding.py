"""GOV.UK branding out of govuk-frontend's CSS: a small CSS rule splitter and the checks.

Used by `vendor_assets.py`; ilacs is not a government service, so the GDS Transport
typeface and the rules drawing the crown or the crest must not reach the dashboard.
Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass


class VendorError(Exception):
    """A failure reported as one line naming the package, the URL and what to do."""


class ReservedBrandingError(VendorError):
    """GOV.UK branding (GDS Transport, the crown, the crest) is left in an asset."""


class CssSyntaxError(VendorError):
    """The CSS could not be split into rules."""



@dataclass(frozen=True)
class CssComment:
    text: str


@dataclass(frozen=True)
class CssStatement:
    """An at-rule without a block, such as `@charset "UTF-8";` (with its semicolon)."""

    text: str


@dataclass(frozen=True)
class CssBlock:
    """A style rule or an at-rule with a block: `prelude{body}`."""

    prelude: str
    body: str


CssNode = CssComment | CssStatement | CssBlock

# At-rules whose block holds further rules, which are filtered like top-level ones.
GROUPING_AT_RULES = ("@media", "@supports", "@-moz-document", "@document", "@layer",
                     "@container", "@scope", "@starting-style")
RESERVED_FONT = r"""(?:"GDS Transport"|'GDS Transport'|\bGDS Transport)"""
RESERVED_FONT_IN_STACK = re.compile(RESERVED_FONT + r"\s*,\s*", re.IGNORECASE)
RESERVED_FONT_ALONE = re.compile(RESERVED_FONT + r"(?=\s*(?:!|;|\}|$))", re.IGNORECASE)
FALLBACK_FONT_STACK = "arial,sans-serif"
RESERVED_SELECTOR = re.compile(r"crown|crest", re.IGNORECASE)
RESERVED_IMAGE_URL = re.compile(
    r"\burl\([^)]*(?:crown|crest|logo|govuk-icon|favicon|opengraph)[^)]*\)", re.IGNORECASE)
RESERVED_WORDS = ("GDS Transport", "crown", "crest")
CSS_URL = re.compile(r"""\burl\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)


def _end_of_comment(css: str, start: int) -> int:
    end = css.find("*/", start + 2)
    if end == -1:
        raise CssSyntaxError(f"unterminated comment at character {start}")
    return end + 2


def _end_of_string(css: str, start: int) -> int:
    quote, index = css[start], start + 1
    while index < len(css):
        if css[index] == "\\":
            index += 2
        elif css[index] == quote:
            return index + 1
        else:
            index += 1
    raise CssSyntaxError(f"unterminated string at character {start}")


def _find_unnested(css: str, start: int, targets: str) -> int:
    """Index of the first character in `targets` outside strings, comments and brackets
    opened after `start`, or -1."""
    depth, index = 0, start
    while index < len(css):
        char = css[index]
        if char == "\\":
            index += 2
            continue
        if char in "\"'":
            index = _end_of_string(css, index)
            continue
        if css.startswith("/*", index):
            index = _end_of_comment(css, index)
            continue
        if depth == 0 and char in targets:
            return index
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        index += 1
    return -1


def parse_css(css: str) -> list[CssNode]:
    """Split CSS into its top-level comments, statements and blocks (bodies unparsed)."""
    nodes: list[CssNode] = []
    index = 0
    while True:
        while index < len(css) and css[index].isspace():
            index += 1
        if index >= len(css):
            return nodes
        if css.startswith("/*", index):
            end = _end_of_comment(css, index)
            nodes.append(CssComment(css[index:end]))
            index = end
            continue
        stop = _find_unnested(css, index, "{;}")
        if stop == -1 or css[stop] == "}":
            raise CssSyntaxError(f"unexpected text at character {index}: {css[index:index + 40]!r}")
        if css[stop] == ";":
            nodes.append(CssStatement(css[index:stop + 1]))
            index = stop + 1
            continue
        close = _find_unnested(css, stop + 1, "}")
        if close == -1:
            raise CssSyntaxError(f"unclosed block at character {stop}")
        nodes.append(CssBlock(css[index:stop], css[stop + 1:close]))
        index = close + 1


def serialise_css(nodes: Sequence[CssNode]) -> str:
    return "".join(node.text if not isinstance(node, CssBlock) else
                   f"{node.prelude}{{{node.body}}}" for node in nodes)


def split_selector_list(selectors: str) -> list[str]:
    """`a, b:is(c, d)` -> ["a", " b:is(c, d)"]: commas inside brackets do not split."""
    parts: list[str] = []
    start = 0
    while (comma := _find_unnested(selectors, start, ",")) != -1:
        parts.append(selectors[start:comma])
        start = comma + 1
    parts.append(selectors[start:])
    return parts


def _without_reserved_rules(nodes: Sequence[CssNode]) -> list[CssNode]:
    """Drops comments and the rules drawing reserved branding (see `_kept_block`)."""
    kept: list[CssNode] = []
    for node in nodes:
        if isinstance(node, CssStatement):
            kept.append(node)
        elif isinstance(node, CssBlock) and (block := _kept_block(node)) is not None:
            kept.append(block)
    return kept


def _kept_block(block: CssBlock) -> CssBlock | None:
    at_rule = block.prelude.strip().lower()
    if at_rule.startswith("@font-face"):
        return None if re.search(RESERVED_FONT, block.body, re.IGNORECASE) else block
    if at_rule.startswith(GROUPING_AT_RULES):
        body = serialise_css(_without_reserved_rules(parse_css(block.body)))
        return CssBlock(block.prelude, body) if body.strip() else None
    if at_rule.startswith("@"):  # @keyframes, @page, @property ...: kept whole
        return block
    if RESERVED_IMAGE_URL.search(block.body):
        return None
    selectors = [selector for selector in split_selector_list(block.prelude)
                 if not RESERVED_SELECTOR.search(selector)]
    return CssBlock(",".join(selectors), block.body) if selectors else None


def reserved_words_in(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in RESERVED_WORDS if word.lower() in lowered]


def strip_reserved_branding(css: str) -> str:
    """GOV.UK Frontend's CSS without the branding only government services may use.

    Removes every comment (in the published CSS: the GDS Transport copyright notice and a
    source-map pointer), every @font-face rule for GDS Transport, every rule whose url()
    draws a crown, crest, logo or GOV.UK icon image, and every selector naming the crown or
    the crest (a rule left with no selector goes). GDS Transport is then taken out of the
    font stacks, `GDS Transport,arial,sans-serif` becoming `arial,sans-serif`, whether
    quoted or not and in `font` shorthands as well. Grouping at-rules (@media, @supports ...)
    are filtered inside and dropped when left empty. Raises ReservedBrandingError if "GDS
    Transport", "crown" or "crest" is still anywhere in the result.
    """
    filtered = serialise_css(_without_reserved_rules(parse_css(css)))
    filtered = RESERVED_FONT_IN_STACK.sub("", filtered)
    filtered = RESERVED_FONT_ALONE.sub(FALLBACK_FONT_STACK, filtered)
    leftovers = reserved_words_in(filtered)
    if leftovers:
        raise ReservedBrandingError(
            f"the CSS still mentions {', '.join(leftovers)} after removing the GOV.UK branding; "
            "extend strip_reserved_branding for this version")
    return filtered


def css_urls(css: str) -> list[str]:
    return [next(group for group in match.groups() if group is not None)
            for match in CSS_URL.finditer(css)]


def assert_urls_are_vendored(css: str, alongside: Collection[str]) -> None:
    """Every url() must name a file vendored in the same folder (no data:, no network)."""
    strays = [url for url in css_urls(css) if url not in alongside]
    if strays:
        raise VendorError(f"the CSS refers to {', '.join(sorted(set(strays)))}, which is not "
                          "vendored beside it; vendor or remove it in strip_reserved_branding")
