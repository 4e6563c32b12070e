"""`ilacs eval`: measure extraction against labels, and the theme classifiers against
hand-labelled improvement points."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import click
from rich.markup import escape
from rich.table import Table

from ilacs.cli.common import console, db_option, errors, open_record


class _EvalGroup(click.Group):
    """`ilacs eval LABELS` measures extraction (the command people knew first);
    `ilacs eval themes LABELS` the theme classifiers."""

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands:
            return "extraction", self.commands["extraction"], args
        return super().resolve_command(ctx, args)


_Command = TypeVar("_Command", bound=Callable[..., None])


def _labels_read_afresh(corpus_help: str) -> Callable[[_Command], _Command]:
    """The arguments of a measure that reads every labelled document afresh: LABELS,
    --corpus (what the labels' paths are relative to) and --json."""
    def decorate(command: _Command) -> _Command:
        command = click.option("--json", "as_json", is_flag=True,
                               help="Print one JSON summary on stdout.")(command)
        command = click.option("--corpus", required=True, help=corpus_help,
                               type=click.Path(exists=True, file_okay=False,
                                               path_type=Path))(command)
        labels = click.Path(exists=True, dir_okay=False, path_type=Path)
        decorated: _Command = click.argument("labels", type=labels)(command)
        return decorated
    return decorate


class _Measured(Protocol):
    def to_json(self) -> dict[str, Any]: ...


_Result = TypeVar("_Result", bound=_Measured)


def _measured(what: str, measure: Callable[[], _Result], as_json: bool) -> _Result | None:
    """`measure()` while saying it reads `what`; under --json the result is printed as JSON
    and None returned, else the result, for the command to print its own way."""
    with errors.status(f"Reading {what}…"):
        result = measure()
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return None
    return result


@click.group("eval", cls=_EvalGroup, context_settings={"ignore_unknown_options": True})
def evaluate() -> None:
    """Measure ilacs against hand-made labels.

    \b
    Example:
        ilacs eval ../shared/corpus/labels.jsonl
        ilacs --db corpus.db eval themes tests/data/theme_labels.jsonl
    """


@evaluate.command("extraction")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reports", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder the labels' paths are relative to (default: the "
              "'reports' folder beside the labels file).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary on stdout.")
def extraction(labels: Path, reports: Path | None, as_json: bool) -> None:
    """Measure extraction against a labels file (reports, letters, or news articles and
    press releases): per-field accuracy and every disagreement. Needs no database: every
    labelled file is extracted afresh. `extraction` may be left out.

    \b
    Example:
        ilacs eval ../shared/corpus/labels.jsonl
        ilacs eval ../shared/corpus/labels.jsonl --json > accuracy.json
        ilacs eval ../shared/corpus/letters/labels.jsonl --reports ../shared/corpus/letters
        ilacs eval ../shared/corpus/docs/labels.jsonl
    """
    from ilacs.extract.evaluation import (
        evaluate_letters,
        evaluate_reports,
        is_letter_labels,
        read_labels,
    )
    from ilacs.extract.news_evaluation import evaluate_news, is_news_labels

    rows = read_labels(labels)
    if is_news_labels(rows):
        result = evaluate_news(rows, reports or labels.parent)
    elif is_letter_labels(rows):
        result = evaluate_letters(rows, reports or labels.parent)
    else:
        result = evaluate_reports(rows, reports or labels.parent / "reports")
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{result.documents} labelled documents")
    for column in ("Field", "Correct", "Total", "Accuracy"):
        table.add_column(column)
    for name, score in result.fields.items():
        share = score.correct / score.total if score.total else 1.0
        table.add_row(name, str(score.correct), str(score.total), f"{share:.1%}")
    console.print(table)
    for item in result.disagreements:
        console.print(f"[bold]{escape(item['path'])}[/] {item['field']}: expected "
                      f"{escape(repr(item['expected']))}, got {escape(repr(item['actual']))}",
                      highlight=False)


@evaluate.command("themes")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--method", "methods", multiple=True,
              type=click.Choice(["rules", "model", "combined"]),
              help="Classifier(s) to measure (default: all three; the shipped one is "
                   "'combined').")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds, grouped by local authority.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary on stdout.")
@db_option
@click.pass_context
def themes_command(ctx: click.Context, labels: Path, methods: tuple[str, ...], folds: int,
                   as_json: bool, db: str | None) -> None:
    """Measure theme classifiers on hand-labelled improvement points by cross-validation
    grouped by local authority (no LA in both training and test): per-theme precision,
    recall and F1, macro and micro F1, exact matches by kind of document, and the themes
    most often confused. The record (--db) supplies the points' texts: build it with
    `ilacs ingest` of the labelled reports and letters.

    \b
    Example:
        ilacs --db corpus.db eval themes tests/data/theme_labels.jsonl
        ilacs --db corpus.db eval themes tests/data/theme_labels.jsonl --method rules --json
    """
    from ilacs.analysis.theme_evaluation import labelled_points
    from ilacs.extract.theme_labels import read_theme_labels
    from ilacs.extract.theme_model import packaged_model
    from ilacs.extract.theme_training import METHODS, cross_validated

    points = labelled_points(open_record(ctx, db), read_theme_labels(labels))
    results = []
    for method in methods or METHODS:
        with errors.status(f"Cross-validating {method} on {len(points)} points…"):
            results.append(cross_validated(points, method, folds=folds))
    shipped = packaged_model().version
    if as_json:
        click.echo(json.dumps({"labels": str(labels), "points": len(points), "folds": folds,
                               "grouped_by": "local authority", "shipped_model": shipped,
                               "methods": [r.to_json() for r in results]},
                              ensure_ascii=False, indent=1))
        return
    _print_summary(results, f"{len(points)} labelled points, {folds} folds grouped by LA "
                   f"(shipped: combined, version {shipped})")


def _print_summary(results: list[Any], title: str) -> None:
    summary = Table(title=title, title_justify="left")
    for column in ("Method", "Macro-F1", "Micro-F1", "Exact", "Lowest theme"):
        summary.add_column(column)
    for result in results:
        worst = min(result.per_theme.items(), key=lambda kv: kv[1]["f1"])
        summary.add_row(result.method, f"{result.macro_f1:.3f}", f"{result.micro_f1:.3f}",
                        f"{result.exact:.1%}", f"{worst[0]} {worst[1]['f1']:.2f}")
    console.print(summary)
    best = max(results, key=lambda r: r.macro_f1)
    themes = Table(title=f"Per theme: {best.method}", title_justify="left")
    for column in ("Theme", "Points", "Precision", "Recall", "F1"):
        themes.add_column(column)
    for key, row in sorted(best.per_theme.items(), key=lambda kv: kv[1]["f1"]):
        themes.add_row(key, str(row["support"]), f"{row['precision']:.2f}",
                       f"{row['recall']:.2f}", f"{row['f1']:.2f}")
    if best.other:
        themes.add_row("other (no theme)", str(best.other["support"]),
                       f"{best.other['precision']:.2f}", f"{best.other['recall']:.2f}",
                       f"{best.other['f1']:.2f}")
    console.print(themes)
    kinds = ", ".join(f"{kind} {exact}/{total}" for kind, (exact, total)
                      in best.exact_by_kind.items())
    console.print(f"Exact theme sets by kind: {kinds}", highlight=False)
    console.print("Most confused (labelled theme missed, other theme given instead): " +
                  "; ".join(f"{a} → {b} ({n})" for a, b, n in best.confusions[:6]),
                  highlight=False)


@evaluate.command("strengths")
@_labels_read_afresh("Folder the labels' paths ('reports/…') are relative to.")
def strengths_command(labels: Path, corpus: Path, as_json: bool) -> None:
    """Measure what ilacs finds reports praising against hand labels of every summary
    sentence: precision and recall of the sentences kept as strengths, labels whose sentence
    was not found, and the themes given to the sentences labelled praise. Needs no database:
    every labelled report is read afresh.

    \b
    Example:
        ilacs eval strengths tests/data/strength_labels.jsonl --corpus ../shared/corpus
    """
    from ilacs.extract.strength_evaluation import evaluate_strengths, read_strength_labels

    rows = read_strength_labels(labels)
    result = _measured(f"{len({row['path'] for row in rows})} labelled reports",
                       lambda: evaluate_strengths(rows, corpus), as_json)
    if result is None:
        return
    console.print(f"{result.reports} reports, {result.sentences} labelled summary sentences, "
                  f"{result.list_points} strengths-list points; {len(result.not_found)} labels "
                  f"not found, {len(result.wrong_page)} whose opening words are not on the page "
                  "given",
                  highlight=False)
    console.print(f"Sentences kept as strengths: precision {result.precision:.3f}, recall "
                  f"{result.recall:.3f}, F1 {result.f1:.3f} (kept by label: "
                  f"{dict(result.kept)}, of {dict(result.labelled)})", highlight=False)
    for missing in result.not_found[:10]:
        console.print(f"  not found: {escape(missing)}", highlight=False)
    for wrong in result.wrong_page[:10]:
        console.print(f"  wrong page: {escape(wrong)}", highlight=False)
    (sure, of_sure), (unsure, of_unsure) = result.confident_exact, result.uncertain_exact
    console.print(f"Exact theme sets of praise sentences: {sure} of {of_sure} when the "
                  f"classifier was confident, {unsure} of {of_unsure} when it was not",
                  highlight=False)
    if result.themes:
        _print_summary([result.themes], f"Themes of the {result.themes.points} sentences and "
                       "points labelled praise, by the shipped classifier (trained on "
                       "improvement points, not on strengths)")


@evaluate.command("board")
@_labels_read_afresh("Folder the labels' paths are relative to (the reports).")
def board_command(labels: Path, corpus: Path, as_json: bool) -> None:
    """Measure the points SIF reports ask their safeguarding board (LSCB) to improve against
    hand labels: reports whose board list has the labelled number of points and is the
    labelled list, points found by text (precision, recall) and on their page. Needs no
    database: every labelled report is read afresh.

    \b
    Example:
        ilacs eval board tests/data/board_labels.jsonl --corpus ../shared/corpus/reports
    """
    from ilacs.extract.board_evaluation import evaluate_board, read_board_labels

    rows = read_board_labels(labels)
    result = _measured(f"{len(rows)} labelled reports", lambda: evaluate_board(rows, corpus),
                       as_json)
    if result is None:
        return
    console.print(f"{result.reports} reports, {result.reviews} reviewing their board; "
                  f"{result.labelled_points} labelled board points, {result.found_points} "
                  "found", highlight=False)
    console.print(f"Number of points right: {result.count_right}/{result.reports} reports; "
                  f"whole list right: {result.list_right}/{result.reports}", highlight=False)
    console.print(f"Points by text: precision {result.precision:.3f}, recall "
                  f"{result.recall:.3f}; on the labelled page {result.page_right}/"
                  f"{result.matched_points}", highlight=False)
    for disagreement in result.disagreements[:20]:
        console.print(f"  {escape(disagreement)}", highlight=False)


@evaluate.command("headlines")
@_labels_read_afresh("Folder the labels' paths ('letters/…') are relative to.")
def headlines_command(labels: Path, corpus: Path, as_json: bool) -> None:
    """Measure the headline of visit letters (the first sentence of their headline findings)
    against hand labels: letters right, and on the labelled page. Needs no database: every
    labelled letter is read afresh.

    \b
    Example:
        ilacs eval headlines tests/data/headline_labels.jsonl --corpus ../shared/corpus
    """
    from ilacs.extract.headline_evaluation import evaluate_headlines, read_headline_labels

    rows = read_headline_labels(labels)
    result = _measured(f"{len(rows)} labelled letters",
                       lambda: evaluate_headlines(rows, corpus), as_json)
    if result is None:
        return
    console.print(f"{result.letters} letters, {result.labelled} with a headline labelled, "
                  f"{result.found} found; right {result.right}/{result.letters}, on the "
                  f"labelled page {result.page_right}", highlight=False)
    for disagreement in result.disagreements[:20]:
        console.print(f"  {escape(disagreement)}", highlight=False)
