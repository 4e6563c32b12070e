"""Linking news claims to the record: the inspection a grade claim reports, the intervention
an intervention claim is about. A claim the record contradicts is flagged, never accepted;
an intervention the register does not hold becomes a suggestion a person confirms.

Which inspection a grade claim means:
1. the claim's own date ('inadequate in December 2021'): the inspection on site or being
   reported then (start of visit to publication), else the one published nearest that date;
2. a year only ('rated inadequate in 2018'): an inspection that started or was published
   that year;
3. no date: the latest inspection published by the article's date;
4. an undated article: the latest inspection with the claimed grade, noted as a weak link.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from ilacs.extract.judgements import JUDGEMENT_FAMILIES
from ilacs.reference import load_register
from ilacs.reference.interventions import dates_agree, on_or_before
from ilacs.store.interventions import suggest
from ilacs.store.transactions import transaction

INTERVENTION_FAMILIES = {"partnership": ("partnership", "improvement_partner",
                                         "statutory_direction"),
                         "improvement_partner": ("improvement_partner", "partnership")}
_ENDING = {"lifted", "revoked", "ended"}


@dataclass(frozen=True)
class Link:
    status: str
    inspection_id: int | None = None
    intervention_id: int | None = None
    note: str | None = None


def link_claims(conn: sqlite3.Connection) -> int:
    """(Re)link every claim to the record as it is now; returns how many contradict it."""
    claims = conn.execute(
        "SELECT c.*, a.publication_date AS article_date, d.path AS article_path, "
        "a.source_url FROM claims c JOIN articles a ON a.id = c.article_id "
        "JOIN documents d ON d.sha256 = a.document_sha256 ORDER BY c.article_id, c.position"
    ).fetchall()
    contradictions = 0
    with transaction(conn):
        for claim in claims:
            if claim["urn"] is None:
                link = Link("unlinked", note="no LA named for this claim")
            elif claim["kind"] == "intervention":
                link = _link_intervention(conn, claim)
            else:
                link = _link_grade(conn, claim)
            contradictions += link.status == "contradicts"
            conn.execute(
                "UPDATE claims SET status = ?, inspection_id = ?, intervention_id = ?, "
                "link_note = ? WHERE id = ?",
                (link.status, link.inspection_id, link.intervention_id, link.note, claim["id"]))
    return contradictions


def _link_grade(conn: sqlite3.Connection, claim: sqlite3.Row) -> Link:
    inspections = conn.execute(
        "SELECT id, inspection_start, publication_date, framework FROM inspections "
        "WHERE urn = ? ORDER BY publication_date", (claim["urn"],)).fetchall()
    if not inspections:
        return Link("unlinked", note="the record has no inspection of this LA")
    chosen, how = _choose_inspection(conn, claim, inspections)
    if chosen is None:
        return Link("unlinked", note=how)
    grades = {row["key"]: row["grade"] for row in conn.execute(
        "SELECT key, grade FROM judgements WHERE inspection_id = ?", (chosen["id"],))}
    keys = _claimed_keys(conn, claim, grades)
    if not keys:
        return Link("unlinked", chosen["id"], note=f"{how}; that report ({chosen['framework']}) "
                    f"has no '{claim['judgement']}' judgement")
    wrong = {key: grades[key] for key in keys if grades[key] != claim["grade"]}
    if wrong:
        said = ", ".join(f"{key} {grade}" for key, grade in sorted(wrong.items()))
        return Link("contradicts", chosen["id"],
                    note=f"{how}; the article says {claim['grade']}, the report says {said}")
    return Link("consistent", chosen["id"], note=how)


def _claimed_keys(conn: sqlite3.Connection, claim: sqlite3.Row,
                  grades: dict[str, str]) -> list[str]:
    if claim["judgement"] != "all":
        family = JUDGEMENT_FAMILIES.get(claim["judgement"] or "overall_effectiveness", ())
        return [key for key in family if key in grades][:1]
    # "Good in every category and outstanding for leaders": the specific claim wins.
    specific = {key for row in conn.execute(
        "SELECT judgement FROM claims WHERE article_id = ? AND urn = ? AND kind = 'grade' "
        "AND judgement NOT IN ('all', 'overall_effectiveness')",
        (claim["article_id"], claim["urn"])) for key in JUDGEMENT_FAMILIES.get(row[0], ())}
    return [key for key in grades if key not in specific and key != "lscb"]


def _choose_inspection(conn: sqlite3.Connection, claim: sqlite3.Row,
                       inspections: list[sqlite3.Row]) -> tuple[sqlite3.Row | None, str]:
    """The inspection a claim is about: only one published by the article's date (a week's
    grace for a report published the day it is reported); for 'from good to outstanding',
    only one whose predecessor had the grade the article says it moved from."""
    every = inspections
    if claim["article_date"]:
        cutoff = (date.fromisoformat(claim["article_date"]) + timedelta(days=7)).isoformat()
        inspections = [row for row in inspections if (row["publication_date"] or "") <= cutoff]
        if not inspections:
            return None, f"no report of this LA published by the article's date " \
                f"({claim['article_date']})"
    if claim["kind"] == "rating_change" and claim["previous_grade"]:
        inspections = _following(conn, every, inspections, claim["previous_grade"])
        if not inspections:
            return None, f"no report of this LA follows one graded {claim['previous_grade']}"
    when, precision = claim["when_date"], claim["when_precision"]
    if when and precision in {"day", "month"}:
        return _on_date(claim, inspections, date.fromisoformat(when), precision)
    if when and precision == "year":
        year = when[:4]
        for row in inspections:
            if (row["inspection_start"] or "").startswith(year):
                return row, f"the inspection of {year}"
        for row in inspections:
            if (row["publication_date"] or "").startswith(year):
                return row, f"the report published in {year}"
        return None, f"the record holds no inspection of {year}: the claim is about one it lacks"
    if claim["article_date"]:
        return inspections[-1], \
            f"the latest report by the article's date ({claim['article_date']})"
    # An undated article links only where exactly one report agrees with everything it says
    # of this LA (its undated claims together), and says the link is inferred.
    siblings = conn.execute(
        "SELECT judgement, grade FROM claims WHERE article_id = ? AND urn = ? AND "
        "kind IN ('grade', 'rating_change') AND when_date IS NULL",
        (claim["article_id"], claim["urn"])).fetchall()
    fitting = [row for row in inspections
               if siblings and _agreement(conn, row["id"], siblings) == len(siblings)]
    if len(fitting) == 1:
        return fitting[0], "article undated: inferred link, the only report that agrees " \
            "with what the article says"
    if not fitting:
        return None, "article undated, and no report in the record agrees with what it " \
            "says: not linked"
    return None, f"article undated, and {len(fitting)} reports agree with what it says: " \
        "not linked"


def _on_date(claim: sqlite3.Row, inspections: list[sqlite3.Row], start: date,
             precision: str) -> tuple[sqlite3.Row | None, str]:
    end = _month_end(start) if precision == "month" else start
    for row in inspections:
        if row["inspection_start"] and row["publication_date"] and \
                row["inspection_start"] <= end.isoformat() and \
                row["publication_date"] >= start.isoformat():
            return row, f"matched on the date the article gives ({_printed(claim)})"
    nearest = min(inspections, key=lambda row: abs(
        (date.fromisoformat(row["publication_date"]) - start).days)
        if row["publication_date"] else 10**6)
    if nearest["publication_date"] and abs(
            (date.fromisoformat(nearest["publication_date"]) - start).days) <= 120:
        return nearest, f"published nearest the date the article gives ({_printed(claim)})"
    return None, f"the record holds no inspection on or near {_printed(claim)}: the claim is " \
        "about one it lacks"


def _following(conn: sqlite3.Connection, every: list[sqlite3.Row],
               candidates: list[sqlite3.Row], previous_grade: str) -> list[sqlite3.Row]:
    """The candidates whose predecessor's overall effectiveness was `previous_grade`."""
    overall = dict(conn.execute(
        "SELECT inspection_id, grade FROM judgements WHERE key = 'overall_effectiveness' AND "
        f"inspection_id IN ({', '.join('?' * len(every))})", [row["id"] for row in every]))
    graded = [row for row in every if row["id"] in overall]
    found = []
    for row in candidates:
        earlier = [other for other in graded
                   if (other["publication_date"] or "") < (row["publication_date"] or "")]
        if earlier and overall[earlier[-1]["id"]] == previous_grade:
            found.append(row)
    return found


def _agreement(conn: sqlite3.Connection, inspection_id: int,
               claims: list[sqlite3.Row]) -> int:
    grades = {row["key"]: row["grade"] for row in conn.execute(
        "SELECT key, grade FROM judgements WHERE inspection_id = ?", (inspection_id,))}
    agreed = 0
    for claim in claims:
        if claim["judgement"] == "all":
            agreed += bool(grades) and all(grade == claim["grade"] for grade in grades.values())
        else:
            family = JUDGEMENT_FAMILIES.get(claim["judgement"] or "", ())
            agreed += any(grades.get(key) == claim["grade"] for key in family)
    return agreed


def _link_intervention(conn: sqlite3.Connection, claim: sqlite3.Row) -> Link:
    types = INTERVENTION_FAMILIES.get(claim["intervention_type"], (claim["intervention_type"],))
    candidates = conn.execute(
        f"SELECT * FROM interventions WHERE urn = ? AND type IN ({','.join('?' * len(types))})"
        " ORDER BY confirmed DESC, start_date DESC", (claim["urn"], *types)).fetchall()
    when = _partial(claim["when_date"], claim["when_precision"])
    ending = claim["action"] in _ENDING
    disagreeing: tuple[sqlite3.Row, list[str]] | None = None
    for row in candidates:
        if claim["partner_urn"] is not None and row["partner_urn"] not in (None,
                                                                           claim["partner_urn"]):
            continue
        if when and not _within(when, row["start_date"], row["end_date"], ending=ending):
            continue
        dates = _event_dates(conn, row, ending)
        # a claim dated only by its article ('has ended') says it happened by then
        by_then = not claim["when_printed"]
        fits = on_or_before if by_then else dates_agree
        if when and dates and not any(fits(known, when) for known in dates):
            disagreeing = disagreeing or (row, dates)
            continue
        status = "consistent" if row["confirmed"] else "suggested"
        return Link(status, intervention_id=row["id"],
                    note="matches the " + _type_name(row["type"])
                    + " in the record's register of interventions")
    if disagreeing is not None:
        row, dates = disagreeing
        sources = [source for (source,) in conn.execute(
            "SELECT source FROM intervention_sources WHERE intervention_id = ? ORDER BY source",
            (row["id"],))]
        return Link("contradicts", intervention_id=row["id"],
                    note=f"the article dates this {claim['action']} {when}; the register's "
                    f"{_type_name(row['type'])} has {', '.join(dates)} (sources: "
                    f"{'; '.join(sources) or 'none recorded'})")
    partner_name = None
    if claim["partner_urn"] is not None:
        partner_name = load_register().by_urn(claim["partner_urn"]).name
    suggestion = suggest(conn, {
        "urn": claim["urn"], "type": claim["intervention_type"], "partner_name": partner_name,
        "partner_urn": claim["partner_urn"], "start_date": None if ending else when,
        "end_date": when if ending else None, "status": "ended" if ending else "unknown",
        "note": f"suggested from a news claim ({claim['action']})",
    }, source=claim["source_url"] or claim["article_path"])
    return Link("suggested", intervention_id=suggestion,
                note="not in the register: suggested; confirm with `ilacs interventions confirm`")


def _type_name(kind: str) -> str:
    return kind.replace("_", " ").replace("childrens", "children's")


_STARTING = ("issued", "appointed", "established", "revised", "announced")


def _event_dates(conn: sqlite3.Connection, row: sqlite3.Row, ending: bool) -> list[str]:
    """The dates the register knows for an intervention's start (or its end): its own and
    its events'."""
    own = row["end_date"] if ending else row["start_date"]
    actions = tuple(_ENDING | {"removed"}) if ending else _STARTING
    events = [date for (date,) in conn.execute(
        f"SELECT date FROM intervention_events WHERE intervention_id = ? AND date IS NOT NULL "
        f"AND action IN ({', '.join('?' * len(actions))})", (row["id"], *actions))]
    return sorted({date for date in (own, *events) if date})


def _printed(claim: sqlite3.Row) -> str:
    return str(claim["when_printed"] or f"the article's date, {claim['when_date']}")


def _partial(when: str | None, precision: str | None) -> str | None:
    if not when:
        return None
    return {"year": when[:4], "month": when[:7]}.get(precision or "day", when)


def _within(when: str, start: str | None, end: str | None, ending: bool) -> bool:
    """Whether a partial date falls in an intervention's span (an ending claim may fall on
    or a little after its recorded end)."""
    if start and when < start[: len(when)]:
        return False
    if end and when[: len(end)] > end and not ending:
        return False
    return True


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
