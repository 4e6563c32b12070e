"""The theme classifier against hand-labelled improvement points, and the theme analyses on
small records (answers worked out by hand) and on the real record."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from analysis_records import item, record, urn_of
from ilacs.analysis import themes
from ilacs.analysis.record import load_record
from ilacs.errors import AnalysisError
from ilacs.extract.themes import classify, taxonomy
from ilacs.store import open_store
from ilacs.store.items import improvement_items

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
def labelled(corpus_db: Path) -> list[tuple[dict[str, object], str]]:
    conn = open_store(corpus_db)
    texts = {(("reports/" if i.event == "inspection" else "letters/") + i.document_path,
              i.number): i.text for i in improvement_items(conn)}
    labels = [json.loads(line) for line in LABELS.read_text("utf-8").splitlines() if line]
    pairs = []
    for label in labels:
        text = texts[(str(label["path"]), int(label["item"]))]  # type: ignore[call-overload]
        digest = hashlib.sha1(re.sub(r"\s+", " ", text).strip().casefold().encode())
        assert digest.hexdigest()[:10] == label["sha"], f"item numbering drifted: {label}"
        pairs.append((label, text))
    return pairs


def _scores(pairs: list[tuple[dict[str, object], str]]) -> dict[str, tuple[float, float, float]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for label, text in pairs:
        gold, got = set(label["themes"]), _keys(text)  # type: ignore[call-overload]
        for theme in gold & got:
            tp[theme] += 1
        for theme in got - gold:
            fp[theme] += 1
        for theme in gold - got:
            fn[theme] += 1
    scores = {}
    for theme in sorted(set(tp) | set(fn)):
        precision = tp[theme] / (tp[theme] + fp[theme]) if tp[theme] + fp[theme] else 0.0
        recall = tp[theme] / (tp[theme] + fn[theme])
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[theme] = (precision, recall, f1)
    return scores


def test_labelled_set_is_large_and_spans_the_eras(labelled) -> None:  # type: ignore[no-untyped-def]
    assert len(labelled) >= 150
    eras = {str(label["path"]).split("/")[0] for label, _ in labelled}
    assert eras == {"reports", "letters"}
    assert {str(label["path"])[-8:-4] for label, _ in labelled} >= {"2013", "2016", "2019",
                                                                    "2023", "2026"}


@pytest.mark.parametrize("subset", ["dev", "holdout", "all"])
def test_classifier_macro_f1_on_the_labelled_set(labelled, subset: str) -> None:  # type: ignore[no-untyped-def]
    pairs = [(label, text) for label, text in labelled
             if subset == "all" or label["set"] == subset]
    scores = _scores(pairs)
    print(f"\n{subset}: {len(pairs)} items")
    for theme, (p, r, f) in scores.items():
        print(f"  {theme:28} P={p:.2f} R={r:.2f} F1={f:.2f}")
    macro = sum(f for _, _, f in scores.values()) / len(scores)
    print(f"  macro-F1 {macro:.3f} over {len(scores)} themes")
    assert macro >= 0.8


# -- analyses on a small record --------------------------------------------------------------

IOW, CROYDON = urn_of("Isle of Wight"), urn_of("Croydon")


def small_items():  # type: ignore[no-untyped-def]
    return themes.themed_items(record([], items=[
        item(IOW, 1, "2019-02-01", 1, "Management oversight of children's plans."),
        item(IOW, 1, "2019-02-01", 2, "Supervision that challenges drift."),
        item(IOW, 2, "2021-05-01", 1, "The quality of pathway plans.", "focused_visit"),
        item(IOW, 3, "2023-10-01", 1, "Management oversight in the front door."),
        item(CROYDON, 4, "2023-03-01", 1, "The quality of pathway plans."),
    ]))


def test_counts_are_of_events_not_points() -> None:
    counts = {c.theme: c for c in themes.theme_counts(small_items())}
    # Oversight: two points in the 2019 inspection and one in 2023, so 2 events, 3 points.
    assert (counts["management_oversight"].events, counts["management_oversight"].items,
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


def test_recurrence_needs_a_later_event() -> None:
    found = themes.recurrences(record([]), small_items())
    assert [(r.urn, r.theme, [str(o.date) for o in r.occurrences]) for r in found] == [
        (IOW, "management_oversight", ["2019-02-01", "2023-10-01"])]
    assert found[0].occurrences[0].item_number == 1 and found[0].occurrences[0].page == 3


def test_peer_themes_look_back_from_the_record_horizon() -> None:
    neighbours = record([]).register.neighbours(IOW)
    peer = neighbours[0].authority.urn
    rec = record([], items=[
        item(peer, 1, "2020-01-01", 1, "Management oversight."),
        item(peer, 2, "2024-01-01", 1, "The quality of pathway plans."),
        item(IOW, 3, "2024-06-01", 1, "Supervision."),
    ])
    result = themes.peer_themes(rec, themes.themed_items(rec), IOW, years=3)
    assert str(result.since) == "2021-06-01"
    assert [c.theme for c in result.counts] == ["pathway_plans"]
    assert result.counts[0].examples[0].item.urn == peer


# -- the real record -------------------------------------------------------------------------


def test_real_themes_cover_the_record(corpus_db: Path) -> None:
    rec = load_record(open_store(corpus_db))
    items = themes.themed_items(rec)
    assert len(items) > 5000
    themed = sum(1 for t in items if t.themes)
    assert themed / len(items) > 0.95
    counts = themes.theme_counts(items)
    assert {c.theme for c in counts} == {t.key for t in taxonomy()}
    found = themes.recurrences(rec, items, urn_of("Croydon"))
    assert found and all(len({o.date for o in r.occurrences}) >= 2 for r in found)
