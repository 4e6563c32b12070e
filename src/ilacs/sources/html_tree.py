"""A small, forgiving element tree built with the standard library's `html.parser`.

Enough to ask "which links have this class, what do they say, and what else is written in the
list item around them" of real-world HTML: void elements need no end tag, an end tag closes any
elements left open inside it, and a stray end tag is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})
_SPACES = re.compile(r"\s+")


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    @property
    def classes(self) -> frozenset[str]:
        return frozenset(self.attrs.get("class", "").split())

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def text(self, skip_class: str | None = None) -> str:
        """The text inside, whitespace collapsed; `skip_class` leaves out elements of a class."""
        return _SPACES.sub(" ", "".join(self._texts(skip_class))).strip()

    def _texts(self, skip_class: str | None) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif skip_class is None or skip_class not in child.classes:
                yield " " if child.tag in VOID_ELEMENTS else ""
                yield from child._texts(skip_class)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self._open: list[Element] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs},
                          parent=self._open[-1])
        self._open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def parse_html(html: str) -> Element:
    """The document as a tree of elements (the root is a '#document' element)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
