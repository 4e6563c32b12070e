#!/usr/bin/env python3
"""Build src/ilacs/reference/data/authorities.json from the shared reference tables.

    python scripts/build_reference.py [REFERENCE_DIR] [--output PATH] [--check]

REFERENCE_DIR defaults to ../shared/reference beside the repository. The output is
deterministic (sorted keys, authorities in name order, neighbours in rank order), so it can be
committed and a rebuild compared byte for byte (`--check` exits 1 if it would change).

Sources and what is taken from each:

- `la_lookup.csv` (utf-8-sig), one row per LA including defunct ones: `urn`, `la_code`
  (DfE three-digit code), `la_code_new` (ONS code), `local_authority_ons_name`, `also_known_as`
  ("[BCP, Bournemouth, Christchurch & Poole]"), `region_code`/`region_name`, `ons_la_type`,
  `ons_population_0-25`, and `utla23nm`/`ltla23nm` as further names. Its `stat_neighbours`
  column is the 2025 model (identical, in rank order, to statistical_neighbours_2025.csv for
  all 153 current LAs; checked on every build). `stat_neighbours_previous` matches neither
  neighbour file and is not used; `stat_neighbours_la_code` repeats `stat_neighbours` as ONS
  codes; `ofsted_ilacs_scrape_la_name` holds LA codes, not names, and is not used.
- `statistical_neighbours_2021.csv` and `statistical_neighbours_2025.csv`: ten neighbours by LA
  code with a closeness word per neighbour ("Very Close", "Close ", "Somewhat close", ...),
  normalised to snake_case (`very_close`). The 2021 file also has an "Old SNs" block for LAs
  that no longer exist (Dorset, Poole and Bournemouth before 2019, Northamptonshire); rows are
  kept for every LA code in la_lookup.csv, so Poole, Northamptonshire and Cumbria keep their
  2021 neighbours.

Corrections to the source, each recorded in the authority's `notes`:

- `region_code` blank (Medway) or "NotKnown" (Cumbria): taken from `region_name`, using the
  code the other rows give that region.
- `ons_la_type` blank (Northamptonshire, Poole) or contradicted by the ONS code (Cumberland,
  Westmorland and Furness, North Yorkshire: "County" with an E06 unitary code): set from the
  ONS code series (E06 unitary authority, E08 metropolitan district, E09 London borough,
  E10 county).
- `ons_population_0-25` of Cumberland and of Westmorland and Furness: the source repeats
  Cumbria's figure (128211) for both, so they are recorded as unknown (null).
- Display names (`DISPLAY_NAMES`): "Bristol, City of" -> "Bristol", "Kingston Upon Hull, City
  of" -> "Kingston upon Hull", "Bedford Borough" -> "Bedford", "St. Helens" -> "St Helens"
  (the forms Ofsted uses); the source name is kept as an alias.

Aliases: the source names above, the names the two neighbour files use, and `EXTRA_ALIASES`,
written by hand for names Ofsted uses that the tables lack ("London Corporation", Ofsted's
provider name for the City of London). Council words ("Council", "London Borough of", "MBC",
"Children's Trust" ...) need no aliases: `ilacs.reference.names` takes them off when matching.

ONS codes: `region_ons_code` is the E12 code of the authority's region, the code most rows
give that region in `rgn22cd` (two rows carry a neighbouring region's code; each is noted).
`former_ons_codes` (`FORMER_ONS_CODES`, written by hand) lists codes an authority had before a
change of code alone (Barnsley's and Sheffield's boundary changes, Buckinghamshire, North
Yorkshire and Somerset becoming unitary on their county's boundary), so official statistics
published under an old code join to the same authority.

Lineage (`REORGANISATIONS`, written by hand from the domain notes and the tables; URNs and codes
from la_lookup.csv, old LA codes from the "Old SNs" rows of the 2021 neighbour file, Bournemouth's
ONS code from Ofsted's official statistics):

- 2019-04-01 Bournemouth (LA 837, E06000028), Poole (836, URN 137316) and Christchurch (a
  district of Dorset County Council) -> Bournemouth, Christchurch and Poole (839, URN 2532287).
- 2019-04-01 Dorset County Council (LA 835, E10000009) and its districts apart from
  Christchurch -> Dorset Council (838, URN 2532283).
- 2021-04-01 Northamptonshire (928, URN 121939) -> North Northamptonshire (940, URN 2637539)
  and West Northamptonshire (941, URN 2637548); the children's services of both are delivered
  by Northamptonshire Children's Trust (a `shared_names` entry).
- 2023-04-01 Cumbria (909, URN 135513) -> Cumberland (942, URN 2733690) and Westmorland and
  Furness (943, URN 2733698).

The Ofsted URNs of Bournemouth and of the pre-2019 Dorset County Council appear nowhere in the
shared data (la_lookup.csv, the corpus, the labels, the official statistics), so they are
recorded as unknown (`"urn": null`) and those two authorities are not in the register; their
names resolve to their successors. An authority is active unless it has successors.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling, when loaded by path
import generated_file  # noqa: E402
from generated_file import BuildError, to_json, write_if_changed  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_OUTPUT = REPO / "src" / "ilacs" / "reference" / "data" / "authorities.json"

try:
    from ilacs.reference.names import slugify
    from ilacs.reference.register import SCHEMA_VERSION, Register
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(REPO / "src"))
    from ilacs.reference.names import slugify
    from ilacs.reference.register import SCHEMA_VERSION, Register

LOOKUP = "la_lookup.csv"
NEIGHBOUR_FILES = {
    "2021": "statistical_neighbours_2021.csv",
    "2025": "statistical_neighbours_2025.csv",
}

CLOSENESS = {"extremely_close", "very_close", "close", "somewhat_close", "not_close"}

ONS_TYPES = {
    "E06": "Unitary Authority",
    "E08": "Metropolitan District",
    "E09": "London Borough",
    "E10": "County",
}

DISPLAY_NAMES = {
    80441: "Bristol",  # "Bristol, City of"
    80477: "Kingston upon Hull",  # "Kingston Upon Hull, City of"
    80428: "Bedford",  # "Bedford Borough"
    80560: "St Helens",  # "St. Helens"
}

# Populations the source repeats from a predecessor: recorded as unknown.
COPIED_POPULATIONS = {
    2733690: "Cumbria",  # Cumberland
    2733698: "Cumbria",  # Westmorland and Furness
}

EXTRA_ALIASES: dict[int, tuple[str, ...]] = {
    80450: ("London Corporation",),  # Ofsted's provider name for the City of London
}


@dataclass(frozen=True)
class Unregistered:
    """An authority in a reorganisation whose Ofsted URN is not known."""

    name: str
    la_code: str
    ons_code: str


BOURNEMOUTH = Unregistered("Bournemouth", "837", "E06000028")
DORSET_COUNTY = Unregistered("Dorset County Council", "835", "E10000009")


@dataclass(frozen=True)
class Reorganisation:
    date: str
    before: tuple[int | Unregistered, ...]
    after: tuple[int | Unregistered, ...]
    note: str


REORGANISATIONS = (
    Reorganisation(
        "2019-04-01",
        (BOURNEMOUTH, 137316, DORSET_COUNTY),
        (2532287,),
        "Bournemouth, Poole and Christchurch (a district of Dorset County Council) became "
        "Bournemouth, Christchurch and Poole",
    ),
    Reorganisation(
        "2019-04-01",
        (DORSET_COUNTY,),
        (2532283,),
        "Dorset County Council and its districts, apart from Christchurch, became Dorset Council",
    ),
    Reorganisation(
        "2021-04-01",
        (121939,),
        (2637539, 2637548),
        "Northamptonshire was split into North and West Northamptonshire; the children's "
        "services of both are delivered by Northamptonshire Children's Trust",
    ),
    Reorganisation(
        "2023-04-01",
        (135513,),
        (2733690, 2733698),
        "Cumbria was split into Cumberland and Westmorland and Furness",
    ),
)

# ONS codes an authority had before a change of code alone (same LA number, same services),
# so official statistics published under the old code join to it. From ONS's register of
# code changes: a county that became a unitary authority on the same boundary, or a boundary
# change that gave a metropolitan district a new code.
FORMER_ONS_CODES: dict[int, tuple[tuple[str, str, str], ...]] = {
    80426: (("E08000016", "2024-04-01", "Barnsley's ONS code until a boundary change"),),
    80551: (("E08000019", "2024-04-01", "Sheffield's ONS code until a boundary change"),),
    80442: (("E10000002", "2020-04-01",
             "Buckinghamshire County Council's code; the county became a unitary authority"),),
    80530: (("E10000023", "2023-04-01",
             "North Yorkshire County Council's code; the county became a unitary authority"),),
    80555: (("E10000027", "2023-04-01",
             "Somerset County Council's code; the county became a unitary authority"),),
}

SHARED_NAMES = (
    {
        "name": "Northamptonshire Children's Trust",
        "urns": [2637539, 2637548],
        "note": "delivers the children's services of North and of West Northamptonshire",
    },
)



def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_lookup(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def closeness(word: str) -> str:
    value = "_".join(word.strip().casefold().split())
    if value not in CLOSENESS:
        raise BuildError(f"unknown closeness {word!r}")
    return value


def read_neighbours(path: Path, model: str) -> dict[str, tuple[str, list[dict[str, object]]]]:
    """LA code -> (name, neighbours in rank order), from one DfE neighbour file.

    2021: `LA num, LA Name, LA number, GOInd, GOReg, SN1, SNP, ..., SN10, SNP`;
    2025: `old_la_code, la_name, region_ind, region_name, SN_1, SN_1P, ..., SN_10, SN_10P`.
    """
    rows = read_csv(path)
    first = 5 if model == "2021" else 4
    found: dict[str, tuple[str, list[dict[str, object]]]] = {}
    for row in rows[1:]:
        code = row[0].strip() if row else ""
        if not code.isdigit():
            continue  # blank lines and the "Old SNs:" heading
        cells = [c.strip() for c in row[first : first + 20]]
        neighbours = [
            {
                "rank": rank,
                "la_code": cells[2 * (rank - 1)],
                "closeness": closeness(cells[2 * rank - 1]),
            }
            for rank in range(1, 11)
        ]
        if code in found:
            raise BuildError(f"{path.name}: LA code {code} appears twice")
        name = row[1].strip().removesuffix("(Pre LG)").strip()
        found[code] = (name, neighbours)
    return found


def parse_aliases(cell: str) -> list[str]:
    """`"[BCP, Bournemouth, Christchurch & Poole]"` -> `["BCP", "Bournemouth, Christchurch &
    Poole"]`: the first item is an abbreviation or short name, the rest the longer name."""
    inner = cell.strip().removeprefix("[").removesuffix("]").strip()
    if not inner:
        return []
    head, _, rest = inner.partition(", ")
    return [name for name in (head.strip(), rest.strip()) if name]


def link(
    target: int | Unregistered, rows: Mapping[int, Mapping[str, object]], when: str, note: str
) -> dict[str, object]:
    if isinstance(target, Unregistered):
        return {
            "date": when,
            "name": target.name,
            "urn": None,
            "la_code": target.la_code,
            "ons_code": target.ons_code,
            "note": note,
        }
    row = rows[target]
    return {
        "date": when,
        "name": row["name"],
        "urn": target,
        "la_code": row["la_code"],
        "ons_code": row["ons_code"],
        "note": note,
    }


def region_ons_codes(lookup: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Region name -> the ONS region code (E12...) most rows give it: `rgn22cd` is wrong on
    a few rows (Buckinghamshire and Gloucestershire carry a neighbouring region's code)."""
    votes: dict[str, dict[str, int]] = {}
    for row in lookup:
        if row["rgn22cd"]:
            counts = votes.setdefault(row["region_name"], {})
            counts[row["rgn22cd"]] = counts.get(row["rgn22cd"], 0) + 1
    return {name: max(sorted(counts), key=lambda code: counts[code])
            for name, counts in votes.items()}


def region_codes(lookup: Iterable[Mapping[str, str]]) -> dict[str, str]:
    codes: dict[str, set[str]] = {}
    for row in lookup:
        if row["region_code"] and row["region_code"] != "NotKnown":
            codes.setdefault(row["region_name"], set()).add(row["region_code"])
    ambiguous = {name: sorted(c) for name, c in codes.items() if len(c) > 1}
    if ambiguous:
        raise BuildError(f"regions with several codes: {ambiguous}")
    return {name: c.pop() for name, c in codes.items()}


def sorted_names(names: Iterable[str], exclude: str) -> list[str]:
    """Distinct names (ignoring case; the first spelling wins), in a stable order."""
    unique: dict[str, str] = {exclude.casefold(): exclude}
    for name in names:
        name = " ".join(name.split())
        if name:
            unique.setdefault(name.casefold(), name)
    return sorted((n for n in unique.values() if n != exclude), key=lambda n: (n.casefold(), n))


def build(reference_dir: Path) -> dict[str, object]:
    """The authorities document, from the tables in `reference_dir`."""
    lookup = read_lookup(reference_dir / LOOKUP)
    models = {m: read_neighbours(reference_dir / f, m) for m, f in NEIGHBOUR_FILES.items()}
    regions = region_codes(lookup)
    region_ons = region_ons_codes(lookup)
    authorities: dict[int, dict[str, object]] = {}

    for row in lookup:
        urn = int(row["urn"])
        code, ons = row["la_code"], row["la_code_new"]
        source_name = row["local_authority_ons_name"]
        name = DISPLAY_NAMES.get(urn, source_name)
        notes: list[str] = []

        region_code = row["region_code"]
        if region_code in ("", "NotKnown"):
            region_code = regions[row["region_name"]]
            notes.append(
                f"region_code {row['region_code'] or 'blank'} in the source; "
                f"{region_code} taken from region_name"
            )

        region_ons_code = region_ons[row["region_name"]]
        if row["rgn22cd"] != region_ons_code:
            notes.append(
                f"rgn22cd {row['rgn22cd'] or 'blank'} in the source; {region_ons_code}, the code "
                f"of {row['region_name']} in the other rows"
            )

        la_type = row["ons_la_type"] or None
        series_type = ONS_TYPES[ons[:3]]
        if la_type != series_type:
            notes.append(
                f"type {la_type or 'blank'} in the source; {series_type} from the ONS code {ons}"
            )
            la_type = series_type

        population = int(row["ons_population_0-25"]) if row["ons_population_0-25"] else None
        if urn in COPIED_POPULATIONS and population is not None:
            notes.append(
                f"population aged 0-25 unknown: the source repeats {COPIED_POPULATIONS[urn]}'s "
                f"figure ({population})"
            )
            population = None

        neighbours: dict[str, list[dict[str, object]]] = {}
        names = [
            source_name,
            row["utla23nm"],
            row["ltla23nm"],
            *parse_aliases(row["also_known_as"]),
        ]
        for model, table in models.items():
            if code in table:
                names.append(table[code][0])
                neighbours[model] = table[code][1]
            else:
                neighbours[model] = []
        listed = [c.strip() for c in row["stat_neighbours"].split(",") if c.strip()]
        if listed != [n["la_code"] for n in neighbours["2025"]]:
            raise BuildError(
                f"{LOOKUP}: stat_neighbours of {name} ({code}) differ from the 2025 model file"
            )
        names.extend(EXTRA_ALIASES.get(urn, ()))

        authorities[urn] = {
            "urn": urn,
            "la_code": code,
            "ons_code": ons,
            "name": name,
            "slug": slugify(name),
            "aliases": sorted_names(names, exclude=name),
            "region_code": region_code,
            "region_name": row["region_name"],
            "region_ons_code": region_ons_code,
            "former_ons_codes": [
                {"ons_code": old, "until": until, "note": why}
                for old, until, why in FORMER_ONS_CODES.get(urn, ())
            ],
            "la_type": la_type,
            "population_0_25": population,
            "active": True,
            "neighbours": neighbours,
            "predecessors": [],
            "successors": [],
            "notes": notes,
        }

    for change in REORGANISATIONS:
        for before in change.before:
            if isinstance(before, int):
                for after in change.after:
                    entry = authorities[before]
                    cast_list(entry["successors"]).append(
                        link(after, authorities, change.date, change.note)
                    )
                    entry["active"] = False
        for after in change.after:
            if isinstance(after, int):
                for before in change.before:
                    cast_list(authorities[after]["predecessors"]).append(
                        link(before, authorities, change.date, change.note)
                    )

    ordered = sorted(authorities.values(), key=lambda a: (str(a["name"]).casefold(), a["urn"]))
    document: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "sources": sorted([LOOKUP, *NEIGHBOUR_FILES.values()]),
        "neighbour_models": {
            model: {"source": NEIGHBOUR_FILES[model], "la_codes": len(models[model])}
            for model in NEIGHBOUR_FILES
        },
        "shared_names": [dict(s) for s in SHARED_NAMES],
        "authorities": ordered,
    }
    Register.from_data(json.loads(to_json(document)), "build")  # validates; raises if not
    return document


def cast_list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise BuildError("internal: expected a list")
    return value


def write(reference_dir: Path, output: Path) -> bool:
    """Write the document to `output`; True if the file changed."""
    return write_if_changed(to_json(build(reference_dir)), output)


def main(argv: Sequence[str] | None = None) -> int:
    description = (__doc__ or "").split("\n", 1)[0]
    return generated_file.main(build, description, LOOKUP, DEFAULT_REFERENCE, DEFAULT_OUTPUT,
                               argv)


if __name__ == "__main__":
    raise SystemExit(main())
