"""The theme classifier against hand-labelled improvement points, and the theme analyses on
small records (answers worked out by hand) and on the real record."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis_records import item, record, urn_of
from ilacs.analysis import themes
from ilacs.analysis.record import load_record
from ilacs.analysis.theme_evaluation import labelled_points
from ilacs.errors import AnalysisError
from ilacs.extract.theme_labels import LabelledPoint, read_theme_labels
from ilacs.extract.theme_scores import score
from ilacs.extract.themes import classify, taxonomy
from ilacs.store import open_store

LABELS = Path(__file__).parent / "data" / "theme_labels.jsonl"


def _keys(text: str) -> set[str]:
    return {match.theme for match in classify(text)}


def test_taxonomy_is_documented_and_mapped_to_the_national_framework() -> None:
    found = taxonomy()
    assert 20 <= len(found) <= 30
    assert len({t.key for t in found}) == len(found)
    for theme in found:
        assert theme.about and theme.patterns
        assert set(theme.outcomes) <= {1, 2, 3, 4}
        assert theme.outcomes or theme.enabler, theme.key
    assert {n for t in found for n in t.outcomes} == {1, 2, 3, 4}


def test_strong_evidence_outranks_context() -> None:
    # Sentences written for this test, not taken from any report.
    assert _keys("Improve the quality of pathway plans for care leavers.") == {"pathway_plans"}
    assert _keys("Better support for care leavers.") == {"care_leavers_support"}
    assert _keys("Planning for care leavers.") == {"pathway_plans"}
    assert _keys("The timeliness of strategy meetings and section 47 enquiries.") == {
        "strategy_and_s47"}
    assert _keys("Assessments of need.") == {"assessment"}
    assert _keys("Management oversight and supervision of social workers.") == {
        "management_oversight"}
    matches = classify("Reduce the caseloads of social workers in the MASH.")
    assert {m.theme: m.evidence for m in matches} == {"front_door": "MASH",
                                                      "workforce": "caseloads"}


@pytest.fixture(scope="module")
def labelled(corpus_db: Path) -> list[tuple[str, LabelledPoint]]:
    """Each hand-labelled point with its labelling round, its text from the record (the
    text's hash is checked: a label whose numbering drifted is an error)."""
    rows = read_theme_labels(LABELS)
    points = labelled_points(open_store(corpus_db), rows)
    return [(str(row["set"]), point) for row, point in zip(rows, points, strict=True)]


def test_labelled_set_is_large_and_spans_the_eras(
        labelled: list[tuple[str, LabelledPoint]]) -> None:
    assert len(labelled) >= 5000
    assert {point.path.split("/")[0] for _, point in labelled} == {"reports", "letters"}
    assert {point.path[-8:-4] for _, point in labelled} >= {"2013", "2016", "2019", "2023",
                                                            "2026"}


# The keyword rules are features of the shipped classifier (tests/test_theme_model.py
# measures that by grouped cross-validation); here they are measured alone, per round of
# labels. The first two rounds were made from the taxonomy's descriptions, the rules tuned
# on `dev`; the random round and the rest of the corpus were labelled later, to the
# labelling guide, and never tuned on: they are three quarters of `all`, whose floor is
# theirs.
@pytest.mark.parametrize(("subset", "floor"), [("dev", 0.8), ("holdout", 0.8),
                                               ("random-2026-12", 0.75),
                                               ("rest-2026-12", 0.75), ("all", 0.75)])
def test_keyword_rules_macro_f1_on_the_labelled_set(
        labelled: list[tuple[str, LabelledPoint]], subset: str, floor: float) -> None:
    points = [point for round_, point in labelled if subset in ("all", round_)]
    result = score("rules", points, [[m.theme for m in classify(p.text)] for p in points])
    print(f"\n{subset}: {len(points)} items")
    for theme, row in result.per_theme.items():
        print(f"  {theme:28} P={row['precision']:.2f} R={row['recall']:.2f} F1={row['f1']:.2f}")
    print(f"  macro-F1 {result.macro_f1:.3f} over {len(result.per_theme)} themes")
    assert result.macro_f1 >= floor


# -- analyses on a small record --------------------------------------------------------------

IOW, CROYDON = urn_of("Isle of Wight"), urn_of("Croydon")


# The analyses read the themes stored with each point: these points carry themes given by
# hand, so the answers below test the analyses, not the classifier.
OVERSIGHT, PATHWAY = ("management_oversight",), ("pathway_plans",)


def small_items():  # type: ignore[no-untyped-def]
    return themes.themed_points(record([], points=[
        item(IOW, 1, "2019-02-01", 1, "Management oversight of children's plans.",
             themes=OVERSIGHT),
        item(IOW, 1, "2019-02-01", 2, "Supervision that challenges drift.", themes=OVERSIGHT),
        item(IOW, 2, "2021-05-01", 1, "The quality of pathway plans.", "focused_visit",
             themes=PATHWAY),
        item(IOW, 3, "2023-10-01", 1, "Management oversight in the front door.",
             themes=("front_door", "management_oversight")),
        item(CROYDON, 4, "2023-03-01", 1, "The quality of pathway plans.", themes=PATHWAY),
    ]))


def test_counts_are_of_events_not_points() -> None:
    counts = {c.theme: c for c in themes.theme_counts(small_items())}
    # Oversight: two points in the 2019 inspection and one in 2023, so 2 events, 3 points.
    assert (counts["management_oversight"].events, counts["management_oversight"].points,
            counts["management_oversight"].authorities) == (2, 3, 1)
    assert (counts["pathway_plans"].events, counts["pathway_plans"].authorities) == (2, 2)
    years = themes.by_year(small_items())
    assert sorted(years) == [2019, 2021, 2023]


def test_theme_trend_is_a_share_of_events() -> None:
    trend = themes.theme_trend(small_items(), "pathway_plans")
    assert [(p.year, p.events_raising, p.events_total, p.share) for p in trend] == [
        (2019, 0, 1, 0.0), (2021, 1, 1, 100.0), (2023, 1, 2, 50.0)]
    with pytest.raises(AnalysisError, match="unknown theme"):
        themes.theme_trend(small_items(), "nonsense")


def test_every_themes_trend_in_one_pass_counts_the_events_raising_it() -> None:
    items = small_items()
    every = themes.theme_trends(items)
    assert set(every) == {t.key for t in taxonomy()}
    for theme, trend in every.items():
        assert [p.year for p in trend] == [2019, 2021, 2023]
        for point in trend:
            events = {(t.point.event, t.point.event_id) for t in items
                      if t.point.date is not None and t.point.date.year == point.year}
            raising = {(t.point.event, t.point.event_id) for t in items if t.has(theme)
                       and t.point.date is not None and t.point.date.year == point.year}
            assert (point.events_raising, point.events_total) == (len(raising), len(events))
    assert [p.events_raising for p in every["management_oversight"]] == [1, 0, 1]


def test_recurrence_needs_a_later_event() -> None:
    found = themes.recurrences(record([]), small_items())
    assert [(r.urn, r.theme, [str(o.date) for o in r.occurrences]) for r in found] == [
        (IOW, "management_oversight", ["2019-02-01", "2023-10-01"])]
    assert found[0].occurrences[0].item_number == 1 and found[0].occurrences[0].page == 3


def test_peer_themes_look_back_from_the_record_horizon() -> None:
    neighbours = record([]).register.neighbours(IOW)
    peer = neighbours[0].authority.urn
    rec = record([], points=[
        item(peer, 1, "2020-01-01", 1, "Management oversight.", themes=OVERSIGHT),
        item(peer, 2, "2024-01-01", 1, "The quality of pathway plans.", themes=PATHWAY),
        item(IOW, 3, "2024-06-01", 1, "Supervision.", themes=OVERSIGHT),
    ])
    result = themes.peer_themes(rec, themes.themed_points(rec), IOW, years=3)
    assert str(result.since) == "2021-06-01"
    assert [c.theme for c in result.counts] == ["pathway_plans"]
    assert result.counts[0].examples[0].point.urn == peer


# -- the real record -------------------------------------------------------------------------


def test_real_themes_cover_the_record(corpus_db: Path) -> None:
    rec = load_record(open_store(corpus_db))
    items = themes.themed_points(rec)
    assert len(items) > 5000
    themed = sum(1 for t in items if t.themes)
    assert themed / len(items) > 0.95
    counts = themes.theme_counts(items)
    assert {c.theme for c in counts} == {t.key for t in taxonomy()}
    found = themes.recurrences(rec, items, urn_of("Croydon"))
    assert found and all(len({o.date for o in r.occurrences}) >= 2 for r in found)


def test_the_confusions_tied_keep_one_order_whatever_the_string_hashes() -> None:
    # Written for this test: every pair missed once, so the ten kept are decided by ties
    script = (
        "from ilacs.extract.theme_labels import LabelledPoint\n"
        "from ilacs.extract.theme_scores import score\n"
        "keys = ['plans', 'lado', 'health', 'education', 'workforce', 'neglect', 'recording']\n"
        "points = [LabelledPoint('x', n, 1, 'sif', '', frozenset({a, b}))\n"
        "          for n, (a, b) in enumerate(zip(keys, keys[1:] + keys[:1]))]\n"
        "guesses = [[k for k in keys if k not in p.themes][:3] for p in points]\n"
        "print(score('rules', points, guesses).confusions)\n")
    printed = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3", "4")}
    assert len(printed) == 1
    assert printed.pop().count("', '") >= 10  # ten pairs kept, of more that tie
