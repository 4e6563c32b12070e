"""An authority's page: its whole story, its neighbours, its next inspection, its themes."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from ilacs.analysis.benchmark import benchmark
from ilacs.analysis.names import (
    framework_name,
    intervention_type_name,
    long_date,
    partial_date,
)
from ilacs.analysis.story import describe_claim, press_claims, story_events
from ilacs.analysis.themes import theme_counts
from ilacs.errors import AnalysisError, IlacsError
from ilacs.reference import find_authority as lookup_authority
from ilacs.reference.names import slugify
from ilacs.reference.register import (
    Authority,
    LineageLink,
    NeighbourModel,
)
from ilacs.store.interventions import Intervention
from ilacs.store.rows import InspectionRow
from ilacs.store.story import VisitRow
from ilacs.web import urls
from ilacs.web.pages.common import (
    TEXTS_MISSING,
    WORDS_MISSING,
    AuthorityRef,
    Distribution,
    GradeCell,
    Option,
    PageNotFound,
    Source,
    authority_ref,
    distribution,
    grade_cells,
    judgement_options,
    source,
)
from ilacs.web.pages.context import ContextSection, context_section
from ilacs.web.pages.england import VISIT_NAMES
from ilacs.web.pages.history import GradeHistory, grade_history
from ilacs.web.pages.themes import ThemePoint, theme_point
from ilacs.web.snapshot import Snapshot

NEIGHBOUR_MODEL: NeighbourModel = "2025"


@dataclass(frozen=True)
class AuthorityInfo:
    authority: AuthorityRef
    la_code: str
    ons_code: str
    population_0_25: int | None
    active: bool
    predecessors: tuple[AuthorityRef, ...]
    successors: tuple[AuthorityRef, ...]


INTERVENTION_STATUS_NAMES = {"active": "Active", "ended": "Ended",
                             "unknown": "Status not known"}
CLAIM_STATUS_NAMES = {"consistent": "Matches the record", "contradicts": "Contradicts the record",
                      "unlinked": "Not matched to an inspection",
                      "suggested": "Suggests an intervention"}


@dataclass(frozen=True)
class TimelineEvent:
    date: date | None
    kind: str  # inspection, focused_visit, monitoring_visit, jtai, intervention, news_claim
    title: str
    details: tuple[str, ...]
    grades: tuple[GradeCell, ...]  # inspections only
    source: Source | None
    status: str | None  # an intervention's status, or what the record says of a news claim
    date_printed: str | None = None  # a partial date ("2013") as recorded, for display
    # A suggested intervention, which a dashboard that allows writing can confirm.
    unconfirmed_intervention: int | None = None
    status_label: str | None = None  # the status in words, as the page shows it


@dataclass(frozen=True)
class NeighbourRow:
    rank: int | None  # 1 = most similar; None for the authority itself
    closeness: str | None
    authority: AuthorityRef
    inspected: date | None
    grades: tuple[GradeCell, ...]


@dataclass(frozen=True)
class Standing:
    judgement: str
    group: str
    size: int
    rank: int | None
    top_percent: float | None
    distribution: Distribution
    tied_with: int | None = None  # other authorities in the group with the same grade


@dataclass(frozen=True)
class NextInspection:
    last_inspected: date | None
    opens: date
    closes: date
    expected_type: str
    status: str  # "not yet open", "open", "overdue", as of the record's latest date
    rule: str


@dataclass(frozen=True)
class ThemeGroup:
    theme: str
    name: str
    events: int
    points: tuple[ThemePoint, ...]  # newest first


@dataclass(frozen=True)
class AuthorityPage:
    info: AuthorityInfo
    as_of: date | None
    judgements: tuple[Option, ...]
    timeline: tuple[TimelineEvent, ...]  # oldest first; undated last
    press: tuple[PressItem, ...]  # what articles claim, once per article, oldest first
    neighbour_model: NeighbourModel
    neighbours: tuple[NeighbourRow, ...]  # the authority first, then its neighbours by rank
    standings: tuple[Standing, ...]
    ranking_rule: str | None
    next_inspection: NextInspection | None
    points_counted: int  # improvement points the record knows of, text or not
    themes: tuple[ThemeGroup, ...]  # most raised first; empty when no point's themes are known
    texts_missing: str | None  # what to do when points are counted but their text is absent
    compare_url: str
    context: ContextSection  # official figures beside the neighbours', and the expected grade
    history: GradeHistory  # its full inspections, and each judgement beside the neighbours'


def find_authority(snapshot: Snapshot, key: str) -> Authority:
    """An authority by URN, LA code, slug or any of its names (one lookup, the CLI's);
    a near miss ('isle-of-wigt') is offered the closest names."""
    try:
        return lookup_authority(key)
    except IlacsError:
        pass
    register = snapshot.record.register
    slugs = {authority.slug: authority for authority in register.all(include_defunct=True)}
    close = difflib.get_close_matches(slugify(key), list(slugs), n=3, cutoff=_NEAR_MISS)
    offer = "; did you mean " + " or ".join(
        f"{slugs[slug].name} (/la/{slug})" for slug in close) + "?" if close else "."
    raise PageNotFound(f"no local authority {key!r}{offer} Use its URN (e.g. /la/80419), its "
                       "name (e.g. /la/isle-of-wight) or the search on England's page.")


_NEAR_MISS = 0.75  # difflib's ratio: 'isle-of-wigt' is 0.96 of 'isle-of-wight'


def authority_page(snapshot: Snapshot, urn: int) -> AuthorityPage:
    return snapshot.memo(("authority", urn), lambda: _authority_page(snapshot, urn))


def _authority_page(snapshot: Snapshot, urn: int) -> AuthorityPage:
    authority = snapshot.record.register.by_urn(urn)
    neighbours, standings, rule = _benchmark(snapshot, authority)
    inspections = snapshot.record.inspections_by_urn.get(urn, ())
    visits = snapshot.record.visits_by_urn.get(urn, ())
    counted = sum(row.improvement_item_count for row in inspections) + sum(
        visit.improvement_item_count + visit.priority_action_count for visit in visits)
    themes = _themes(snapshot, urn)
    return AuthorityPage(
        info=_info(snapshot, authority), as_of=snapshot.record.as_of,
        judgements=judgement_options(), timeline=_timeline(snapshot, urn),
        press=_press(snapshot, urn),
        neighbour_model=NEIGHBOUR_MODEL, neighbours=neighbours, standings=standings,
        ranking_rule=rule, next_inspection=_next(snapshot, urn), points_counted=counted,
        themes=themes, texts_missing=_texts_missing(counted, themes),
        compare_url=urls.compare([urn], with_neighbours=True),
        context=context_section(snapshot, urn),
        history=grade_history(snapshot, urn, tuple(
            row.authority.urn for row in neighbours if row.rank is not None)),
    )


def _info(snapshot: Snapshot, authority: Authority) -> AuthorityInfo:
    def refs(links: tuple[LineageLink, ...]) -> tuple[AuthorityRef, ...]:
        found = (snapshot.record.authority(link.urn) for link in links if link.urn is not None)
        return tuple(authority_ref(a) for a in found if a is not None)

    return AuthorityInfo(
        authority_ref(authority), authority.la_code, authority.ons_code,
        authority.population_0_25, authority.active,
        refs(authority.predecessors), refs(authority.successors))


def _timeline(snapshot: Snapshot, urn: int) -> tuple[TimelineEvent, ...]:
    """The authority's story (`story_events`, as `ilacs story` tells it), an entry each."""
    told = story_events(snapshot.record.inspections_by_urn.get(urn, ()),
                        snapshot.record.visits_by_urn.get(urn, ()),
                        (item for item in snapshot.interventions if item.urn == urn))
    return tuple(_inspection_event(snapshot, event) if isinstance(event, InspectionRow)
                 else _visit_event(snapshot, event) if isinstance(event, VisitRow)
                 else _intervention_event(event) for _, event in told)


def _visit_event(snapshot: Snapshot, visit: VisitRow) -> TimelineEvent:
    title = VISIT_NAMES.get(visit.kind, visit.kind).removesuffix(" letter")
    if visit.monitoring_visit_number:
        title += f" {visit.monitoring_visit_number}"
    lines = [f"Focus: {visit.focus}"] if visit.focus else []
    if visit.inspectors:
        lines.append("Inspectors: " + ", ".join(visit.inspectors))
    lines.append(f"{visit.improvement_item_count} points to improve"
                 + (f", {visit.priority_action_count} areas for priority action"
                    if visit.priority_action_count else ""))
    return TimelineEvent(_date(visit.date), visit.kind, title, tuple(lines), (),
                         source(snapshot, visit.document_path, 1), None)


def _intervention_event(item: Intervention) -> TimelineEvent:
    """An intervention with its span, then each sourced event (issued, revised, lifted ...)
    and any source no event names."""
    whom = item.person or item.partner_name
    start = partial_date(item.start_date) if item.start_date else "start not known"
    end = partial_date(item.end_date) if item.end_date else (
        "end not known" if item.status == "ended" else "now" if item.status == "active"
        else "end not recorded")
    lines = [f"{start} to {end}"]
    for event in item.events:
        when = partial_date(event.date) if event.date else "(date not stated)"
        lines.append(f"{event.action.capitalize()} {when}: {event.source}"
                     + (f" (\u201c{event.quote}\u201d)" if event.quote else ""))
    named = {event.source for event in item.events}
    lines.extend(f"Source: {source}" for source in item.sources if source not in named)
    label = INTERVENTION_STATUS_NAMES.get(item.status, item.status)
    return TimelineEvent(
        _date(item.start_date or item.end_date), "intervention",
        intervention_type_name(item.type) + (f" ({item.person})" if item.person else "")
        + (f" with {item.partner_name}" if item.partner_name and whom != item.person else ""),
        tuple(lines), (), None,
        item.status + ("" if item.confirmed else " (suggested, not confirmed)"),
        _partial(item.start_date or item.end_date), None if item.confirmed else item.id,
        label if item.confirmed else f"{label}: suggested, not confirmed")


@dataclass(frozen=True)
class PressItem:
    """What an article claims of the authority, once per article, with its sentence."""

    claim: str
    evidence: str | None
    status: str
    status_label: str | None
    link_note: str | None
    when: str  # the claim's date as the article gives it, or why there is none
    sort_date: date | None  # the claim's date, else its article's
    article_title: str | None
    source: Source | None


def _press(snapshot: Snapshot, urn: int) -> tuple[PressItem, ...]:
    items = []
    for claim in press_claims(snapshot.claims, urn):
        if claim.date_as_said:
            when = partial_date(claim.date_as_said)
        elif claim.article_date:
            when = f"date not stated (article of {long_date(_date(claim.article_date))})"
        else:
            when = "date not stated; the article is undated"
        items.append(PressItem(
            describe_claim(claim), claim.evidence, claim.status,
            CLAIM_STATUS_NAMES.get(claim.status), claim.link_note, when,
            _date(claim.date_as_said or claim.article_date), claim.article_title,
            source(snapshot, claim.article_path, None)))
    return tuple(items)


def _inspection_event(snapshot: Snapshot, row: InspectionRow) -> TimelineEvent:
    kind = (row.inspection_type.value + " " if row.inspection_type else "") + "inspection"
    lines = [f"Framework: {framework_name(row.framework)}"]
    if row.publication_date:
        lines.append(f"Published {long_date(row.publication_date)}")
    if row.lead_inspector:
        lines.append(f"Lead inspector: {row.lead_inspector}")
    lines.append(f"{row.improvement_item_count} points to improve")
    return TimelineEvent(row.date, "inspection", kind.capitalize(), tuple(lines),
                         grade_cells(snapshot, row), source(snapshot, row.document_path, 1),
                         None)


def _benchmark(snapshot: Snapshot, authority: Authority) -> tuple[
        tuple[NeighbourRow, ...], tuple[Standing, ...], str | None]:
    try:
        found = benchmark(snapshot.record, authority.urn, NEIGHBOUR_MODEL)
    except AnalysisError:  # no neighbours: a predecessor authority, say
        return (), (), None
    latest = snapshot.record.latest_inspection(authority.urn)
    rows = [NeighbourRow(None, None, authority_ref(authority), latest.date if latest else None,
                         grade_cells(snapshot, latest))]
    for neighbour in found.judgements[0].neighbours:
        other = snapshot.record.register.by_urn(neighbour.current.urn)
        theirs = snapshot.record.latest_inspection(other.urn)
        rows.append(NeighbourRow(neighbour.rank, neighbour.closeness, authority_ref(other),
                                 theirs.date if theirs else None, grade_cells(snapshot, theirs)))
    standings = tuple(
        Standing(result.judgement, standing.group, standing.size, standing.rank,
                 standing.top_percent, distribution(standing.group, standing.counts),
                 standing.tied_with)
        for result in found.judgements for standing in result.standings)
    return tuple(rows), standings, found.ranking_rule


def _next(snapshot: Snapshot, urn: int) -> NextInspection | None:
    due = snapshot.due.get(urn)
    if due is None:
        return None
    return NextInspection(due.last.date, due.opens, due.closes, due.rule.next_type, due.status,
                          due.rule.citation)


def _themes(snapshot: Snapshot, urn: int) -> tuple[ThemeGroup, ...]:
    """The authority's themes as the themes analysis counts them (most events first), each
    with every point filed under it."""
    counts = theme_counts((themed for themed in snapshot.themed if themed.point.urn == urn),
                          examples=len(snapshot.themed))
    return tuple(ThemeGroup(count.theme, count.name, count.events,
                            tuple(theme_point(snapshot, themed, count.theme)
                                  for themed in count.examples))
                 for count in counts)


def _texts_missing(counted: int, themes: tuple[ThemeGroup, ...]) -> str | None:
    if counted and not themes:
        return TEXTS_MISSING
    if any(not point.text_held for group in themes for point in group.points):
        return WORDS_MISSING
    return None


def _partial(value: str | None) -> str | None:
    """A partial date ("2013", "2013-05") as the page prints it; None for a full date."""
    return partial_date(value) if value and len(value) < len("2013-05-01") else None


def _date(value: str | None) -> date | None:
    """A full or partial ISO date ("2013", "2013-05"): partial ones sort at their start."""
    if not value:
        return None
    parts = [int(part) for part in value.split("-")[:3]]
    return date(*parts, *[1] * (3 - len(parts)))


