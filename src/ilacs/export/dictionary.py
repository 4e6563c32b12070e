"""The data dictionary: what every column of every export table means, its type and where its
values come from, so that an analyst can cite a download (shown on /downloads).

A column means the same in every table unless `_IN_TABLE` says otherwise; a judgement column
takes its meaning from the frameworks that grade it (extract/frameworks/*.json).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ilacs.export.statistics_tables import SOURCE_COLUMNS, STATISTICS_COLUMNS
from ilacs.export.story_tables import INTERVENTION_COLUMNS, VISIT_COLUMNS
from ilacs.export.tables import (
    AUTHORITY_COLUMNS,
    JUDGEMENT_COLUMNS,
    JUDGEMENT_KEYS,
    POINT_COLUMNS,
    PROBLEM_COLUMNS,
    STRENGTH_COLUMNS,
    WIDE_COLUMNS,
    Column,
)
from ilacs.extract.frameworks import load_frameworks
from ilacs.reference.interventions import TYPES
from ilacs.store.interventions import STATUSES

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION = ("Contains Ofsted and Department for Education information licensed under the "
               f"{LICENCE}; grades, dates and points read from Ofsted's published reports and "
               "letters by ilacs.")

_OFSTED = "Ofsted's report or letter, as ilacs read it"
_REGISTER = "the register of local authorities shipped with ilacs (DfE and ONS codes)"
_ILACS = "ilacs"
_STATISTICS = "DfE's official statistics (explore-education-statistics), ONS and MHCLG"
_FRAMEWORK_IDS = ", ".join(framework.id for framework in load_frameworks()[:-1]) + \
    f" or {load_frameworks()[-1].id}"
_GOVUK = "DfE's notices and directions on GOV.UK, sourced events and news, as ilacs read them"

# (meaning, source) of a column, whichever table holds it.
_COLUMNS: dict[str, tuple[str, str]] = {
    "urn": ("Ofsted's unique reference number for the authority's children's services",
            _REGISTER),
    "la_code": ("DfE's three-digit local authority code", _REGISTER),
    "ons_code": ("ONS's nine-character code for the authority", _REGISTER),
    "la_name": ("The authority's name in the register", _REGISTER),
    "region": ("The English region the authority is in", _REGISTER),
    "publication_date": ("The day Ofsted published the document (ISO 8601)", _OFSTED),
    "inspection_start": ("The first day inspectors were on site (ISO 8601)", _OFSTED),
    "inspection_end": ("The last day inspectors were on site (ISO 8601)", _OFSTED),
    "framework": ("The inspection framework the report was written under: "
                  f"{_FRAMEWORK_IDS}", _OFSTED),
    "inspection_type": ("The kind of full inspection (standard or short under ILACS)", _OFSTED),
    "lead_inspector": ("The lead inspector the document names", _OFSTED),
    "improvement_item_count": ("How many points the document asks the authority to improve",
                               _OFSTED),
    "document_path": ("The file the facts were read from, as the record names it", _ILACS),
    "report_link": ("Ofsted's page listing the authority's reports", "Ofsted's website"),
    "page": ("The page of the document the fact was read from", _ILACS),
    "position": ("The point's place in its list, from 1", _OFSTED),
    "section": ("The list the point belongs to (what needs to improve, priority actions, "
                "the board's recommendations...)", _OFSTED),
    "text": ("The point as printed", _OFSTED),
    "outcome": ("The outcome a SIF recommendation is numbered under, where it has one",
                _OFSTED),
    "tag": ("The label printed before the point (such as 'Immediately'), if any", _OFSTED),
    "grade": ("The grade: outstanding, good, requires_improvement (to be good), adequate or "
              "inadequate", _OFSTED),
    "key": ("The judgement, by its key: see the judgement columns of the inspections table",
            _OFSTED),
}

# Where a name means something else in one table.
_IN_TABLE: dict[tuple[str, str], tuple[str, str]] = {
    ("authorities", "name"): ("The authority's name", _REGISTER),
    ("points", "position"): ("The point's place in its document, from 1: a letter's points "
                             "follow its priority actions, a report's board points its "
                             "points to the authority", _OFSTED),
    ("points", "event"): ("What the document records: inspection, focused_visit, "
                          "monitoring_visit or jtai", _OFSTED),
    ("points", "start"): ("The first day inspectors were on site (ISO 8601)", _OFSTED),
    ("points", "text"): ("The point as printed; empty when the record holds only its themes "
                         "and page (a bundled record)", _OFSTED),
    ("points", "themes"): ("The practice themes ilacs's classifier filed it under "
                           "(space-separated keys; see the themes page)", _ILACS),
    ("strengths", "position"): ("The strength's place among the report's, from 1", _ILACS),
    ("strengths", "source"): ("Where the report says it: strengths_list (the points under "
                              "\"The local authority's strengths\") or summary (a sentence "
                              "of the summary that praises without reserve)", _ILACS),
    ("strengths", "text"): ("The point or sentence as printed; empty when the record holds "
                            "only its themes (a bundled record)", _OFSTED),
    ("strengths", "themes"): ("The practice themes ilacs's classifier filed it under "
                              "(space-separated keys; see the themes page)", _ILACS),
    ("authorities", "slug"): ("The name in ilacs's addresses (/la/<slug>)", _ILACS),
    ("authorities", "region_code"): ("ONS's code for the authority's region", _REGISTER),
    ("authorities", "region_name"): ("The authority's region", _REGISTER),
    ("authorities", "la_type"): ("County, unitary, metropolitan district or London borough",
                                 _REGISTER),
    ("authorities", "population"): ("People aged 0 to 25 living there (ONS)", _REGISTER),
    ("authorities", "active"): ("1 if the authority exists today, 0 if it was replaced",
                                _REGISTER),
    ("problems", "path"): ("The file ilacs had trouble with, as the record names it", _ILACS),
    ("problems", "document_sha256"): ("The SHA-256 of the file's bytes (empty when they "
                                      "could not be read)", _ILACS),
    ("problems", "kind"): ("What went wrong, as a key (not_a_pdf, missing_field...)", _ILACS),
    ("problems", "severity"): ("error (nothing stored from the file) or warning (a fact "
                               "missing or doubtful)", _ILACS),
    ("problems", "message"): ("What went wrong, in a sentence", _ILACS),
    ("problems", "field"): ("The fact concerned, if one", _ILACS),
    ("problems", "snippet"): ("The text that was not understood, if any", _ILACS),
    ("problems", "parser_version"): ("The extractor version that met the problem", _ILACS),
    ("problems", "recorded_at"): ("When the problem was recorded (UTC)", _ILACS),
    ("visits", "kind"): ("focused_visit, monitoring_visit or jtai", _OFSTED),
    ("visits", "monitoring_visit_number"): ("Which monitoring visit since the inspection",
                                            _OFSTED),
    ("visits", "visit_start"): ("The first day of the visit (ISO 8601)", _OFSTED),
    ("visits", "visit_end"): ("The last day of the visit (ISO 8601)", _OFSTED),
    ("visits", "letter_date"): ("The date printed on the letter (ISO 8601)", _OFSTED),
    ("visits", "inspectors"): ("Every inspector the letter names, separated by '; '",
                               _OFSTED),
    ("visits", "focus_theme"): ("The area of practice the visit looked at, as a theme",
                                _OFSTED),
    ("visits", "priority_action_count"): ("How many priority actions the letter sets",
                                          _OFSTED),
    ("interventions", "id"): ("The intervention's number in this record", _ILACS),
    ("interventions", "type"): (f"What kind: {', '.join(TYPES)}", _GOVUK),
    ("interventions", "partner_name"): ("The authority or body it works with, if any",
                                        _GOVUK),
    ("interventions", "start_date"): ("When it began (ISO 8601; empty if not known)", _GOVUK),
    ("interventions", "end_date"): ("When it ended (ISO 8601; empty if it has not or is not "
                                    "known to have)", _GOVUK),
    ("interventions", "status"): (f"{', '.join(STATUSES)}", _GOVUK),
    ("interventions", "confirmed"): ("yes, or suggested (a news claim nobody confirmed yet)",
                                     _GOVUK),
    ("interventions", "note"): ("What the source says beside the event", _GOVUK),
    ("interventions", "sources"): ("The addresses it was read from, separated by '; '",
                                   _GOVUK),
    ("statistics", "indicator"): ("The headline indicator, by its key", _STATISTICS),
    ("statistics", "label"): ("The indicator's name", _STATISTICS),
    ("statistics", "unit"): ("What the value counts (a number, a rate per 10,000 children, "
                             "a percentage...)", _STATISTICS),
    ("statistics", "place"): ("England, a region or the authority, by name", _STATISTICS),
    ("statistics", "subject"): ("The place's key in ilacs (its ONS code, or 'england')",
                                _ILACS),
    ("statistics", "period"): ("The period as published (a year, financial year or 31 March "
                               "snapshot)", _STATISTICS),
    ("statistics", "year"): ("The year the period ends in", _STATISTICS),
    ("statistics", "value"): ("The figure (empty when it is suppressed or missing)",
                              _STATISTICS),
    ("statistics", "missing"): ("The publisher's symbol for a missing figure (c, x, z...)",
                                _STATISTICS),
    ("statistics", "missing_meaning"): ("What that symbol means", _STATISTICS),
    ("sources", "dataset"): ("The data set, by its key in ilacs's catalogue", _ILACS),
    ("sources", "title"): ("The data set's title", _STATISTICS),
    ("sources", "publication"): ("The publication it belongs to", _STATISTICS),
    ("sources", "file"): ("The file it was loaded from", _ILACS),
    ("sources", "sha256"): ("The SHA-256 of that file", _ILACS),
    ("sources", "rows"): ("How many rows were read from it", _ILACS),
    ("sources", "origin"): ("bundled (shipped with ilacs), loaded (ilacs statistics load) or "
                            "fetched (ilacs update --statistics)", _ILACS),
    ("sources", "loaded_at"): ("When it was loaded (UTC)", _ILACS),
}

TABLES: dict[str, tuple[Column, ...]] = {
    "inspections": WIDE_COLUMNS, "latest": WIDE_COLUMNS, "authorities": AUTHORITY_COLUMNS,
    "judgements": JUDGEMENT_COLUMNS, "points": POINT_COLUMNS,
    "strengths": STRENGTH_COLUMNS, "visits": VISIT_COLUMNS,
    "interventions": INTERVENTION_COLUMNS, "problems": PROBLEM_COLUMNS,
    "statistics": STATISTICS_COLUMNS, "sources": SOURCE_COLUMNS,
}


@dataclass(frozen=True)
class ColumnEntry:
    table: str
    column: str
    type: str  # text, integer, float or date
    meaning: str
    source: str


def data_dictionary() -> tuple[ColumnEntry, ...]:
    """Every column of every export table, in the tables' own order."""
    judgements = _judgement_meanings()
    entries = []
    for table, columns in TABLES.items():
        for column in columns:
            meaning, source = _IN_TABLE.get((table, column.name)) or _COLUMNS.get(
                column.name) or judgements.get(column.name) or ("", "")
            entries.append(ColumnEntry(table, column.name, column.kind.value, meaning, source))
    return tuple(entries)


def _judgement_meanings() -> dict[str, tuple[str, str]]:
    labels: dict[str, list[str]] = defaultdict(list)
    frameworks: dict[str, list[str]] = defaultdict(list)
    for framework in load_frameworks():
        for area in framework.judgements:
            if area.label not in labels[area.key]:
                labels[area.key].append(area.label)
            frameworks[area.key].append(framework.name)
    meanings = {key: (f"The grade for '{' / '.join(labels[key])}' "
                      f"({', '.join(frameworks[key])})", _OFSTED)
                for key in JUDGEMENT_KEYS if key in labels}
    meanings.update({f"{key}_page": (f"The page of the report (document_path) where the grade "
                                     f"for '{' / '.join(labels[key])}' is printed", _ILACS)
                     for key in JUDGEMENT_KEYS if key in labels})
    return meanings
