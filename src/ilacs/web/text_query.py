"""A search, read in the syntax of ilacs.web.search_syntax, as a tantivy query.

Words are stemmed as the index stems them (Snowball's English, the successor of the Porter
stemmer FTS5's tokenizer uses: a word finds the pages FTS5 finds, bar the few words the two
stem apart, "nearly" being "near" to one and "nearli" to the other). A prefix stands for
every indexed word it begins, each scored by BM25 as the word it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import tantivy

from ilacs.web.search_syntax import Node, NotInSyntax, Operation, Words, as_phrase, parse

TEXT = "text"
ANALYZER = "ilacs"
# Words a prefix may stand for, most frequent first: 'plac*' is 30 in the corpus.
MAX_PREFIX_WORDS = 256


def analyzer() -> tantivy.TextAnalyzer:
    """Words as the index holds them: split at what is not a letter or digit, lower case,
    accents folded, stemmed."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build())


@dataclass(frozen=True)
class TextSearch:
    """A search as the index reads it. `match` is what FTS5 is asked for snippets: the
    search, or the search as one phrase when it is not in the syntax. `any_page`: whether
    a document matches it exactly when its words, on whichever pages, do (words, phrases,
    prefixes and OR; not AND or NOT, whose words must share a page)."""

    text: str
    match: str
    query: tantivy.Query
    any_page: bool


def as_query(text: str, schema: tantivy.Schema, searcher: tantivy.Searcher,
                words_of: tantivy.TextAnalyzer) -> TextSearch:
    """The search `text` as a query of the index whose schema and searcher these are."""
    reader = _Reader(schema, searcher, words_of)
    try:
        node = parse(text)
    except NotInSyntax:
        return TextSearch(text, as_phrase(text), reader.words(Words(text)), True)
    return TextSearch(text, text, reader.query(node), _any_page(node))


def _any_page(node: Node) -> bool:
    if isinstance(node, Words):
        return True
    return node.operator == "OR" and all(_any_page(operand) for operand in node.operands)


@dataclass(frozen=True)
class _Reader:
    schema: tantivy.Schema
    searcher: tantivy.Searcher
    words_of: tantivy.TextAnalyzer

    def query(self, node: Node) -> tantivy.Query:
        if isinstance(node, Words):
            return self.words(node)
        return self._operation(node)

    def _operation(self, node: Operation) -> tantivy.Query:
        queries = [self.query(operand) for operand in node.operands]
        if node.operator == "NOT":
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, queries[0]),
                                                (tantivy.Occur.MustNot, queries[1])])
        occur = tantivy.Occur.Must if node.operator == "AND" else tantivy.Occur.Should
        return tantivy.Query.boolean_query([(occur, query) for query in queries])

    def words(self, words: Words) -> tantivy.Query:
        tokens: list[str | tuple[int, str]] = list(self.words_of.analyze(words.text))
        if not tokens:
            return tantivy.Query.empty_query()
        if words.prefix and len(tokens) == 1:
            return self._prefixed(str(tokens[0]))
        if words.prefix:
            return tantivy.Query.phrase_prefix_query(self.schema, TEXT, tokens)
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, TEXT, tokens[0], index_option="freq")
        return tantivy.Query.phrase_query(self.schema, TEXT, tokens)

    def _prefixed(self, prefix: str) -> tantivy.Query:
        words = self.searcher.terms_with_prefix(TEXT, prefix, limit=MAX_PREFIX_WORDS)
        if not words:
            return tantivy.Query.empty_query()
        return tantivy.Query.boolean_query([
            (tantivy.Occur.Should,
             tantivy.Query.term_query(self.schema, TEXT, word, index_option="freq"))
            for word, _documents in words])
