#!/usr/bin/env python3
"""Build src/ilacs/web/data/tile_map.json, a square-grid (tile) map of England's LAs.

    python scripts/build_tile_map.py [REFERENCE_DIR] [--output PATH] [--check]

REFERENCE_DIR defaults to ../shared/reference beside the repository. The output is
deterministic (sorted keys, fixed tie-breaks, no randomness), so it is committed and a rebuild
compared byte for byte (`--check` exits 1 if it would change; tests/test_web_tile_map.py runs
the same `build`). Each of the register's 153 active authorities gets one tile, small ones
(Isles of Scilly, City of London, Rutland, the London boroughs) as visibly as the counties, in
the manner of the ODI Leeds and FT tile cartograms. Row 0 is the north, column 0 the west.

Inputs and how they are matched:

- `lad_2023_boundaries.geojson`: the 361 UK local authority districts of 2023 with their
  British National Grid centroid (`BNG_E`, `BNG_N`), `LAT` and `SHAPE_Area` (square degrees:
  the geometry is in longitude/latitude, so the area in km² is `SHAPE_Area * cos(LAT)` times
  the km² of a square degree). Only the 296 English districts are used. An authority's place
  is the area-weighted mean of its districts' centroids, and its area their sum.
- The authorities are the register's (`load_register().all()`), keyed by URN; a unitary
  authority, metropolitan district or London borough (ONS codes E06/E08/E09) is its own
  district. The City of London (E09000001) and the Isles of Scilly (E06000053) are ordinary
  districts of the file and authorities of their own (Hackney, with which some statistics
  combine the City, is a separate borough here and in Ofsted's reports).
- `la_lookup.csv` is only checked: each authority's `la_code_new` must be its ONS code. Its
  `ltla23nm` column holds the authority's own name, not a list of its districts, so it cannot
  say which districts make up a county.
- The 21 counties (E10) are made of the lower-tier districts (E07) in `COUNTY_DISTRICTS`,
  written by hand from the ONS 2023 district-to-county lookup (ONS numbers each county's
  districts in a block, so the table is a list of code ranges). Every English district must
  fall to exactly one active authority and every authority must get a district, or the build
  stops; each county's districts were also checked to form one contiguous area.
- Barnsley and Sheffield were given new codes (E08000038, E08000039) after their 2024
  boundary change; the 2023 file still has the old ones (`RECODED`).

The layout, in three steps:

1. London. The 33 boroughs of the London region fill a fixed block: the 33 cells nearest the
   centre of an ellipse shaped like the boroughs' spread of centroids (8 columns by 6 rows).
   Each borough gets a cell by an optimal assignment (below) from its centroid, scaled on each
   axis to the block's spread, so the boroughs keep their places relative to each other.
2. The rest of England, with London as a single point of 33 tiles' worth of area, is put
   through an area-equalising transform of the plane at `CELL_KM` to the tile: for each
   authority in turn (largest first) a disc of the area it lacks (a tile less its area) is
   inserted at its point, which pushes every other point radially outwards exactly as far as
   keeps the area between them (r' = sqrt(r^2 + k)); an authority larger than a tile has its
   excess taken out by the smooth inverse (r'^2 = r^2 - k(1 - exp(-r^2 / 2k))). Both maps are
   continuous and one-to-one, so neighbours keep their bearings while crowded places (London,
   the metropolitan counties) spread and the big rural counties close up. The London block is
   then put where London's point landed.
3. Every other authority gets a free cell by an optimal assignment minimising the total
   squared distance from the transformed points (the Hungarian algorithm, implemented here in
   O(n^2 m); scipy is not a dependency), over the cells within `MARGIN` of the layout. The grid
   is then shifted so that its first row and column are used.

`CELL_KM` (65 km) was chosen by building at 55-75 km and looking at the maps: at 65 km England
is 15 columns by 16 rows, keeps its outline with a single enclosed empty cell (between Surrey
and Sutton, below the London block), and each authority's geographically nearest authority
(by centroid) is on average 1.21 cells away (tests/test_web_tile_map.py checks this). Known
compromises: Essex sits a cell north-east of the London block with a gap beside it, and Luton
is three cells from Hertfordshire. A greedy swap pass to pull polygon neighbours together was
tried and left out: it fixed Essex but broke Cumbria and Kent apart and did not lower the
nearest-neighbour distance. Abbreviations (`ABBREVIATIONS`, 2-4 letters, unique ignoring
case) are written by hand.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling, when loaded by path
import generated_file  # noqa: E402
from generated_file import BuildError, to_json, write_if_changed  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_OUTPUT = REPO / "src" / "ilacs" / "web" / "data" / "tile_map.json"

try:
    from ilacs.reference import Authority, load_register
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(REPO / "src"))
    from ilacs.reference import Authority, load_register

BOUNDARIES = "lad_2023_boundaries.geojson"
LOOKUP = "la_lookup.csv"

CELL_KM = 65.0  # the ground one tile stands for, before the area-equalising transform
MARGIN = 2  # free cells around the transformed points that the assignment may use
LONDON = "London"  # the register's region_name of the boroughs laid out as one block
EARTH_RADIUS_KM = 6371.0088
KM2_PER_SQUARE_DEGREE = (EARTH_RADIUS_KM * math.pi / 180) ** 2  # at the equator

# Tables written by hand (county districts from the ONS lookup; tile labels), kept as data.
_TABLES = json.loads((Path(__file__).with_name("tile_map_tables.json")).read_text("utf-8"))
# County (E10) -> the numbers of its districts' E07 codes, as inclusive ranges.
COUNTY_DISTRICTS: dict[str, tuple[tuple[int, int], ...]] = {
    county: tuple((low, high) for low, high in entry["district_code_ranges"])
    for county, entry in _TABLES["county_districts"].items()
}

# 2023 district code -> the authority's current code, with the name the district must have.
RECODED: dict[str, tuple[str, str]] = {
    "E08000016": ("E08000038", "Barnsley"),
    "E08000019": ("E08000039", "Sheffield"),
}

ABBREVIATIONS: dict[int, str] = {int(urn): entry["abbr"]
                                for urn, entry in _TABLES["abbreviations"].items()}

Cell = tuple[int, int]  # (col, row)
Point = tuple[float, float]  # (x east, y north) or (col, row) before rounding



@dataclass(frozen=True)
class District:
    code: str
    name: str
    east_km: float
    north_km: float
    area_km2: float


@dataclass(frozen=True)
class Place:
    """An authority's geography: the area-weighted centroid (km, British National Grid) and
    the total area of its districts."""

    urn: int
    name: str
    region_name: str
    east_km: float
    north_km: float
    area_km2: float
    districts: tuple[str, ...]


# -- inputs --------------------------------------------------------------------------------


def read_districts(path: Path) -> list[District]:
    """The English districts (E06, E07, E08, E09) of the boundaries file."""
    with path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    districts = []
    for feature in collection["features"]:
        props = feature["properties"]
        code = str(props["LAD23CD"])
        if not code.startswith("E"):
            continue
        area = float(props["SHAPE_Area"]) * math.cos(math.radians(float(props["LAT"])))
        districts.append(District(code, str(props["LAD23NM"]), float(props["BNG_E"]) / 1000,
                                  float(props["BNG_N"]) / 1000, area * KM2_PER_SQUARE_DEGREE))
    districts.sort(key=lambda d: d.code)
    return districts


def upper_tier_code(district: District) -> str:
    """The ONS code of the authority with children's services for `district`."""
    code = district.code
    if code in RECODED:
        new_code, name = RECODED[code]
        if district.name != name:
            raise BuildError(f"{code} is {district.name!r}, expected {name!r}")
        return new_code
    if not code.startswith("E07"):
        return code
    number = int(code[3:])
    counties = [county for county, ranges in COUNTY_DISTRICTS.items()
                if any(first <= number <= last for first, last in ranges)]
    if len(counties) != 1:
        raise BuildError(f"district {code} ({district.name}) is in {len(counties)} counties")
    return counties[0]


def places(districts: Sequence[District], authorities: Sequence[Authority]) -> dict[int, Place]:
    """Each authority's place, by URN, from the districts that make it up."""
    by_code = {a.ons_code: a for a in authorities}
    if len(by_code) != len(authorities):
        raise BuildError("two active authorities share an ONS code")
    members: dict[int, list[District]] = {a.urn: [] for a in authorities}
    for district in districts:
        code = upper_tier_code(district)
        if code not in by_code:
            raise BuildError(f"district {district.code} ({district.name}) belongs to {code}, "
                             "which is no active authority")
        members[by_code[code].urn].append(district)
    result = {}
    for authority in authorities:
        parts = members[authority.urn]
        if not parts:
            raise BuildError(f"no district for {authority.name} ({authority.ons_code})")
        area = sum(d.area_km2 for d in parts)
        result[authority.urn] = Place(
            authority.urn, authority.name, authority.region_name,
            sum(d.east_km * d.area_km2 for d in parts) / area,
            sum(d.north_km * d.area_km2 for d in parts) / area,
            area, tuple(d.code for d in parts))
    return result


def check_lookup(path: Path, authorities: Sequence[Authority]) -> None:
    """Each authority's `la_code_new` in la_lookup.csv must be its ONS code in the register."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        codes = {int(row["urn"]): row["la_code_new"].strip() for row in csv.DictReader(handle)}
    for authority in authorities:
        if codes.get(authority.urn) != authority.ons_code:
            raise BuildError(f"{authority.name}: la_lookup.csv has {codes.get(authority.urn)!r},"
                             f" the register {authority.ons_code!r}")


# -- the layout ----------------------------------------------------------------------------


def hungarian(cost: Sequence[Sequence[float]]) -> list[int]:
    """The column assigned to each row that minimises the total cost (rows <= columns).

    The shortest augmenting path form of the Hungarian algorithm with row and column
    potentials, O(rows^2 * columns); ties go to the lowest column index."""
    rows = len(cost)
    cols = len(cost[0]) if rows else 0
    if rows > cols:
        raise ValueError(f"{rows} rows cannot be assigned to {cols} columns")
    inf = math.inf
    u = [0.0] * (rows + 1)
    v = [0.0] * (cols + 1)
    owner = [0] * (cols + 1)  # owner[j]: the row (1-based) in column j, 0 if none
    way = [0] * (cols + 1)
    for i in range(1, rows + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            row = cost[i0 - 1]
            ui0 = u[i0]
            delta = inf
            j1 = 0
            for j in range(1, cols + 1):
                if not used[j]:
                    reduced = row[j - 1] - ui0 - v[j]
                    if reduced < minv[j]:
                        minv[j] = reduced
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(cols + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    assigned = [0] * rows
    for j in range(1, cols + 1):
        if owner[j]:
            assigned[owner[j] - 1] = j - 1
    return assigned


def assign(targets: Sequence[Point], cells: Sequence[Cell]) -> list[Cell]:
    """A distinct cell for each target, minimising the total squared distance."""
    cost = [[(c - x) ** 2 + (r - y) ** 2 for c, r in cells] for x, y in targets]
    return [cells[j] for j in hungarian(cost)]


def equalise(points: Sequence[Point], deficits: Sequence[float],
             order: Sequence[int]) -> list[Point]:
    """Insert (deficit > 0) or remove (deficit < 0) a disc of area `deficits[i]` at point i,
    for each i in `order`, moving the other points radially (see the module docstring)."""
    moved = [list(p) for p in points]
    for i in order:
        k = deficits[i] / math.pi
        if k == 0:
            continue
        cx, cy = moved[i]
        for j, point in enumerate(moved):
            dx, dy = point[0] - cx, point[1] - cy
            d2 = dx * dx + dy * dy
            if j == i or d2 == 0:
                continue
            if k > 0:
                factor = math.sqrt(1 + k / d2)
            else:
                factor = math.sqrt(1 + k * (1 - math.exp(d2 / (2 * k))) / d2)
            point[0] = cx + dx * factor
            point[1] = cy + dy * factor
    return [(x, y) for x, y in moved]


def _spread(points: Sequence[Point]) -> tuple[float, float, float, float]:
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sx = math.sqrt(sum((p[0] - mx) ** 2 for p in points) / n)
    sy = math.sqrt(sum((p[1] - my) ** 2 for p in points) / n)
    return mx, my, sx, sy


def london_block(boroughs: Sequence[Place]) -> dict[int, Cell]:
    """A compact block of cells around (0, 0) for the London boroughs, by URN."""
    points = [(p.east_km, p.north_km) for p in boroughs]
    mx, my, sx, sy = _spread(points)
    ax, ay = sx / math.sqrt(sx * sy), sy / math.sqrt(sx * sy)  # the ellipse's axes, area 1
    reach = len(boroughs)
    window = [(c, r) for r in range(-reach, reach + 1) for c in range(-reach, reach + 1)]
    window.sort(key=lambda cell: (((cell[0] + 0.5) / ax) ** 2 + ((cell[1] + 0.5) / ay) ** 2,
                                  cell[1], cell[0]))
    block = window[:len(boroughs)]
    bx, by, bsx, bsy = _spread(block)
    targets = [((x - mx) / sx * bsx + bx, (my - y) / sy * bsy + by) for x, y in points]
    return {p.urn: cell for p, cell in zip(boroughs, assign(targets, block), strict=True)}


def layout(geography: Mapping[int, Place]) -> dict[int, Cell]:
    """A distinct (col, row) for every authority, by URN; row 0 is the north."""
    ordered = sorted(geography.values(), key=lambda p: p.urn)
    boroughs = [p for p in ordered if p.region_name == LONDON]
    others = [p for p in ordered if p.region_name != LONDON]
    block = london_block(boroughs) if boroughs else {}

    # The others and London as one point, through the area-equalising transform.
    points = [(p.east_km, p.north_km) for p in others]
    areas = [p.area_km2 for p in others]
    deficits = [CELL_KM**2 - a for a in areas]
    keys = [p.urn for p in others]
    if boroughs:
        london_area = sum(p.area_km2 for p in boroughs)
        points.append((sum(p.east_km * p.area_km2 for p in boroughs) / london_area,
                       sum(p.north_km * p.area_km2 for p in boroughs) / london_area))
        areas.append(london_area)
        deficits.append(len(boroughs) * CELL_KM**2 - london_area)
        keys.append(0)
    order = sorted(range(len(points)), key=lambda i: (-areas[i], keys[i]))
    moved = [(x / CELL_KM, -y / CELL_KM) for x, y in equalise(points, deficits, order)]

    cells: dict[int, Cell] = {}
    if boroughs:
        lx, ly = moved[-1]
        bx, by, _, _ = _spread(list(block.values()))
        dc, dr = math.floor(lx - bx + 0.5), math.floor(ly - by + 0.5)
        cells.update({urn: (c + dc, r + dr) for urn, (c, r) in block.items()})
    taken = set(cells.values())
    low_c = math.floor(min(p[0] for p in moved)) - MARGIN
    high_c = math.ceil(max(p[0] for p in moved)) + MARGIN
    low_r = math.floor(min(p[1] for p in moved)) - MARGIN
    high_r = math.ceil(max(p[1] for p in moved)) + MARGIN
    free = [(c, r) for r in range(low_r, high_r + 1) for c in range(low_c, high_c + 1)
            if (c, r) not in taken]
    chosen = assign(moved[:len(others)], free)
    cells.update({p.urn: cell for p, cell in zip(others, chosen, strict=True)})

    first_c = min(c for c, _ in cells.values())
    first_r = min(r for _, r in cells.values())
    return {urn: (c - first_c, r - first_r) for urn, (c, r) in cells.items()}


# -- the document ---------------------------------------------------------------------------

SOURCE = (
    "scripts/build_tile_map.py: the area-weighted centroids of the ONS 2023 local authority "
    "districts (lad_2023_boundaries.geojson) of each active authority in the ilacs register; "
    "London's 33 boroughs as one block; the rest through an area-equalising transform at "
    f"{CELL_KM:g} km to the tile, then an optimal assignment to cells minimising squared "
    "displacement. Row 0 is the north, column 0 the west."
)


def build(reference_dir: Path, authorities: Sequence[Authority] | None = None) -> dict[str, Any]:
    """The tile map document for `authorities` (default: the register's active ones)."""
    if authorities is None:
        authorities = load_register().all(include_defunct=False)
    check_lookup(reference_dir / LOOKUP, authorities)
    geography = places(read_districts(reference_dir / BOUNDARIES), authorities)
    cells = layout(geography)
    missing = sorted(a.name for a in authorities if a.urn not in ABBREVIATIONS)
    if missing:
        raise BuildError(f"no abbreviation for {', '.join(missing)}")
    labels = [ABBREVIATIONS[a.urn].casefold() for a in authorities]
    if len(set(labels)) != len(labels):
        raise BuildError("two authorities share an abbreviation")
    return {
        "source": SOURCE,
        "columns": max(c for c, _ in cells.values()) + 1,
        "rows": max(r for _, r in cells.values()) + 1,
        "tiles": {str(urn): {"col": c, "row": r, "abbr": ABBREVIATIONS[urn]}
                  for urn, (c, r) in sorted(cells.items())},
    }


def write(reference_dir: Path, output: Path) -> bool:
    """Write the document to `output`; True if the file changed."""
    return write_if_changed(to_json(build(reference_dir)), output)


def main(argv: Sequence[str] | None = None) -> int:
    description = (__doc__ or "").split("\n", 1)[0]
    return generated_file.main(build, description, BOUNDARIES, DEFAULT_REFERENCE, DEFAULT_OUTPUT,
                               argv)


if __name__ == "__main__":
    raise SystemExit(main())
