"""The search syntax the dashboard accepts, read as a tree: FTS5's query language, the part
of it people type.

Words side by side (all must match), "quoted phrases", `plac*` (words beginning so), `OR`,
`AND`, `NOT` and parentheses, with FTS5's precedence (fts5parse.y: words side by side bind
tightest, then NOT, then AND, then OR). Whatever
else FTS5 reads (column filters `text:`, `NEAR(…)`, `^`, `+`, a phrase ending in `*`) is not
read here: the search is then one exact phrase, as it is for what FTS5 cannot parse at all.
Each page's snippet is still FTS5's (ilacs.store.search), so what this accepts, FTS5 must
accept too; tests/test_text_index.py checks that on every example it holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# FTS5's barewords: ASCII letters, digits and '_', the substitute character, and every
# character beyond ASCII (fts5_expr.c, sqlite3Fts5IsBareword).
_BAREWORD = re.compile("[A-Za-z0-9_\x1a\u0080-\U0010ffff]+")
_TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"|(\()|(\))|(\*)|([^\s"()*]+))')
_OPERATORS = ("AND", "OR", "NOT")


@dataclass(frozen=True)
class Words:
    """A bareword or a quoted phrase: its words in a row; `prefix`: the last one may go on."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Operation:
    operator: str  # AND, OR or NOT (the first operand without the others)
    operands: tuple[Node, ...]


Node = Words | Operation


class NotInSyntax(ValueError):
    """A search this reading does not accept: it is searched as one phrase."""


def parse(text: str) -> Node:
    """The tree of a search; NotInSyntax if it is not in the syntax above."""
    tokens = _tokens(text)
    node, rest = _or(tokens)
    if rest:
        raise NotInSyntax(f"unexpected {rest[0]!r}")
    return node


def as_phrase(text: str) -> str:
    """The search as one FTS5 phrase."""
    return '"' + text.replace('"', '""') + '"'


_Token = tuple[str, str]  # (kind, text): phrase, word, star, operator, open, close


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    at, end = 0, len(text.rstrip())
    while at < end:
        found = _TOKEN.match(text, at)
        if found is None:  # an unclosed quote
            raise NotInSyntax(f"cannot read {text[at:]!r}")
        phrase, opening, closing, star, word = found.groups()
        at = found.end()
        if phrase is not None:
            tokens.append(("phrase", phrase.replace('""', '"')))
        elif opening or closing or star:
            tokens.append(("open" if opening else "close" if closing else "star",
                           opening or closing or star))
        elif word in _OPERATORS:
            tokens.append(("operator", word))
        elif not _BAREWORD.fullmatch(word):
            raise NotInSyntax(f"{word!r} is not a word of the syntax")
        elif word == "NEAR" and text[at:].lstrip().startswith("("):
            raise NotInSyntax("NEAR(…) is not read here")
        else:
            tokens.append(("word", word))
    if not tokens:
        raise NotInSyntax("an empty search")
    return tokens


_Parser = Callable[[list["_Token"]], tuple[Node, list["_Token"]]]


def _or(tokens: list[_Token]) -> tuple[Node, list[_Token]]:
    return _joined(tokens, "OR", _and)


def _and(tokens: list[_Token]) -> tuple[Node, list[_Token]]:
    return _joined(tokens, "AND", _not)


def _joined(tokens: list[_Token], operator: str, operand: _Parser) -> tuple[Node, list[_Token]]:
    """Operands joined by `operator`, each read by `operand` (what binds tighter)."""
    node, rest = operand(tokens)
    operands = [node]
    while rest and rest[0] == ("operator", operator):
        node, rest = operand(rest[1:])
        operands.append(node)
    return (operands[0] if len(operands) == 1 else Operation(operator, tuple(operands))), rest


def _not(tokens: list[_Token]) -> tuple[Node, list[_Token]]:
    node, rest = _listed(tokens)
    while rest and rest[0] == ("operator", "NOT"):
        excluded, rest = _listed(rest[1:])
        node = Operation("NOT", (node, excluded))
    return node, rest


def _listed(tokens: list[_Token]) -> tuple[Node, list[_Token]]:
    """Words and phrases side by side (all must match: FTS5's implicit AND, which binds
    tighter than any operator), or one expression in parentheses; FTS5 puts no implicit AND
    next to a parenthesis."""
    if not tokens:
        raise NotInSyntax("the search ends where a word was expected")
    if tokens[0][0] == "open":
        node, rest = _or(tokens[1:])
        if not rest or rest[0][0] != "close":
            raise NotInSyntax("a parenthesis is not closed")
        rest = rest[1:]
        if rest and rest[0][0] in ("phrase", "word", "open"):
            raise NotInSyntax("a parenthesis is followed by a word without an operator")
        return node, rest
    operands: list[Node] = []
    rest = tokens
    while rest and rest[0][0] in ("phrase", "word"):
        # a '*' after a word or phrase, even after a space, lets its last word go on
        prefix = len(rest) > 1 and rest[1][0] == "star"
        operands.append(Words(rest[0][1], prefix=prefix))
        rest = rest[2 if prefix else 1:]
    if not operands:
        raise NotInSyntax(f"unexpected {tokens[0][1]!r}")
    if rest and rest[0][0] == "open":
        raise NotInSyntax("a word is followed by a parenthesis without an operator")
    return (operands[0] if len(operands) == 1 else Operation("AND", tuple(operands))), rest
