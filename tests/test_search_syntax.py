"""The dashboard reads the search syntax as FTS5 reads it: what it accepts, and what a search
matches (operators, precedence), checked against SQLite's own FTS5 on small tables."""

from __future__ import annotations

import itertools
import os
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ilacs.web.search_syntax import Node, NotInSyntax, Operation, Words, as_phrase, parse

# ILACS_PROPERTY_EXAMPLES=20000 searches further, with fresh random examples each run.
DEEPER = os.environ.get("ILACS_PROPERTY_EXAMPLES")
# Every row holds some of the words a, b, c and d: all 16 combinations.
ROWS = [" ".join(words) or "z" for n in range(5)
        for words in itertools.combinations("abcd", n)]
PIECES = ["a", "b", "c", "d", "a*", '"a b"', '"b c"', '"a b"*', "AND", "OR", "NOT", "(", ")",
          "x_y", "né", "-", ":", "'", '"', "*", "ab*c", "NEAR", "near"]


@pytest.fixture(scope="module")
def fts5() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5 (text, "
                 "tokenize = 'porter unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", enumerate(ROWS))
    return conn


def fts5_reads(conn: sqlite3.Connection, query: str) -> set[int] | None:
    """The rows FTS5 matches; None if it cannot parse the query."""
    try:
        return {row[0] for row in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,))}
    except sqlite3.OperationalError:
        return None


def matched(node: Node) -> set[int]:
    """The rows the tree matches, evaluated here with sets (words are single letters)."""
    if isinstance(node, Words):  # a phrase is its words in a row: a substring of these rows
        return {n for n, row in enumerate(ROWS) if node.text in row}
    sets = [matched(operand) for operand in node.operands]
    if node.operator == "AND":
        return set.intersection(*sets)
    if node.operator == "OR":
        return set.union(*sets)
    return sets[0] - sets[1]


@pytest.mark.parametrize("query", [
    "a b OR c", "a OR b c", "a NOT b c", "a b NOT c", "a NOT b NOT c", "a OR b AND c",
    "a AND b OR c NOT d", "(a OR b) AND c", "a AND (b OR c NOT d)", '"a b" OR d',
    "a OR b OR c AND d", "((a))", "a AND b c OR d"])
def test_precedence_and_operators_match_what_fts5_matches(fts5: sqlite3.Connection,
                                                          query: str) -> None:
    assert matched(parse(query)) == fts5_reads(fts5, query)


@pytest.mark.parametrize("query", [
    "(a OR b) c", "a (b)", "NOT a", "a AND", "OR a", "(a", "a)", "()", "*", "a**", "a-b",
    "child's", "a:b", '"a', "a NOT", "a AND NOT b"])
def test_what_fts5_cannot_parse_is_not_in_the_syntax(fts5: sqlite3.Connection,
                                                      query: str) -> None:
    assert fts5_reads(fts5, query) is None
    with pytest.raises(NotInSyntax):
        parse(query)


@settings(max_examples=int(DEEPER or 400), deadline=None, derandomize=not DEEPER, database=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=7))
def test_the_syntax_accepts_exactly_what_fts5_accepts(pieces: list[str]) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5 (text)")
    query = " ".join(pieces)
    try:
        parse(query)
        accepted = True
    except NotInSyntax:
        accepted = False
    # column filters and NEAR groups FTS5 reads, and this syntax does not (a phrase then)
    if ":" not in query and "NEAR (" not in query:
        assert accepted == (fts5_reads(conn, query) is not None), query


def test_a_prefix_and_glued_words_are_read_as_fts5_splits_them() -> None:
    assert parse("plac*") == Words("plac", prefix=True)
    assert parse("ab*c") == Operation("AND", (Words("ab", prefix=True), Words("c")))
    assert parse('"unregistered placements"') == Words("unregistered placements")
    assert parse("NEAR abuse") == Operation("AND", (Words("NEAR"), Words("abuse")))
    with pytest.raises(NotInSyntax, match="NEAR"):
        parse("NEAR(neglect abuse)")
    assert as_phrase('homes: "x') == '"homes: ""x"'
