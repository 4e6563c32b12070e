"""The reference register of local authorities: data, look-ups, lineage and name matching."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ilacs.errors import IlacsError
from ilacs.reference import (
    NEIGHBOUR_MODELS,
    Authority,
    Closeness,
    ReferenceDataError,
    Register,
    UnknownAuthority,
    load_register,
    slugify,
)
from script_modules import load_script

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PACKAGED = REPO / "src" / "ilacs" / "reference" / "data" / "authorities.json"
BUILD_SCRIPT = REPO / "scripts" / "build_reference.py"

ISLE_OF_WIGHT = 80419
NORTHAMPTONSHIRE, NORTH_NORTHANTS, WEST_NORTHANTS = 121939, 2637539, 2637548
CUMBRIA, CUMBERLAND, WESTMORLAND = 135513, 2733690, 2733698
POOLE, BCP, DORSET = 137316, 2532287, 2532283
DEFUNCT = {NORTHAMPTONSHIRE, CUMBRIA, POOLE}
NOT_IN_2021_MODEL = {CUMBERLAND, WESTMORLAND}  # created in 2023


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register()


@pytest.fixture(scope="module")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(
            f"SHARED DATA NOT FOUND at {SHARED}: the tests against the shared reference tables "
            "and labels did not run"
        )
    return SHARED


# -- the data ------------------------------------------------------------------------------


def test_register_loads_once(register: Register) -> None:
    assert load_register() is register
    assert len(register.all()) == 153
    assert len(register.all(include_defunct=True)) == 156
    assert {a.urn for a in register.all(include_defunct=True) if not a.active} == DEFUNCT


def test_every_active_authority_is_complete(register: Register) -> None:
    types = {"County", "Unitary Authority", "Metropolitan District", "London Borough"}
    for authority in register.all():
        assert authority.urn > 0
        assert re.fullmatch(r"\d{3}", authority.la_code), authority
        assert re.fullmatch(r"E(06|08|09|10)\d{6}", authority.ons_code), authority
        assert re.fullmatch(r"[A-Z]{1,2}", authority.region_code), authority
        assert authority.region_name, authority
        assert authority.la_type in types, authority
        assert authority.slug == slugify(authority.name)
        assert len(authority.neighbour_refs("2025")) == 10, authority
        expected_2021 = 0 if authority.urn in NOT_IN_2021_MODEL else 10
        assert len(authority.neighbour_refs("2021")) == expected_2021, authority


def test_defunct_authorities_keep_their_2021_neighbours(register: Register) -> None:
    for urn in DEFUNCT:
        authority = register.by_urn(urn)
        assert len(authority.neighbour_refs("2021")) == 10
        assert authority.neighbour_refs("2025") == ()


def test_neighbour_codes_resolve(register: Register) -> None:
    unresolved = set()
    for authority in register.all(include_defunct=True):
        for ref in authority.statistical_neighbours:
            try:
                register.by_code(ref.la_code)
            except UnknownAuthority:
                unresolved.add((authority.urn, ref.model, ref.la_code))
    # Poole's 2021 list names the pre-2019 Dorset County Council (835), which has no URN.
    assert unresolved == {(POOLE, "2021", "835")}


def test_neighbours_in_rank_order_with_closeness(register: Register) -> None:
    neighbours = register.neighbours(ISLE_OF_WIGHT)
    assert [n.rank for n in neighbours] == list(range(1, 11))
    assert neighbours[0].authority.name == "Tameside"
    assert neighbours[0].closeness is Closeness.VERY_CLOSE
    assert neighbours[0].model == "2025"
    old = register.neighbours(ISLE_OF_WIGHT, model="2021")
    assert old[0].authority.name == "Torbay"
    assert register.neighbours(CUMBERLAND, model="2021") == ()
    poole = register.neighbours(POOLE, model="2021")
    assert [n.rank for n in poole] == [1, 2, 3, 4, 5, 7, 8, 9, 10]
    with pytest.raises(ValueError, match="unknown neighbour model"):
        register.neighbours(ISLE_OF_WIGHT, model="2019")  # type: ignore[arg-type]


def test_closeness_words_are_normalised() -> None:
    data = json.loads(PACKAGED.read_text(encoding="utf-8"))
    words = {
        n["closeness"]
        for a in data["authorities"]
        for model in NEIGHBOUR_MODELS
        for n in a["neighbours"][model]
    }
    assert words == {c.value for c in Closeness}


def test_source_corrections_are_recorded(register: Register) -> None:
    assert register.by_urn(80522).region_code == "SE"  # Medway: blank in the source
    assert register.by_urn(CUMBRIA).region_code == "NW"  # "NotKnown" in the source
    assert register.by_urn(CUMBERLAND).population_0_25 is None  # Cumbria's figure repeated
    assert register.by_urn(CUMBERLAND).la_type == "Unitary Authority"
    assert register.by_urn(NORTHAMPTONSHIRE).la_type == "County"
    for urn in (80522, CUMBRIA, CUMBERLAND, NORTHAMPTONSHIRE):
        assert register.by_urn(urn).notes


# -- look-ups -------------------------------------------------------------------------------


def test_look_ups(register: Register) -> None:
    wight = register.by_urn(ISLE_OF_WIGHT)
    assert wight.name == "Isle of Wight"
    assert wight.slug == "isle-of-wight"
    assert register.by_code("921") is wight
    assert register.by_code("E06000046") is wight
    assert register.by_slug("isle-of-wight") is wight
    assert register.by_code("928").urn == NORTHAMPTONSHIRE  # defunct ones too


@pytest.mark.parametrize(
    ("method", "value"),
    [("by_urn", 1), ("by_code", "999"), ("by_slug", "atlantis")],
)
def test_unknown_authority(register: Register, method: str, value: object) -> None:
    with pytest.raises(UnknownAuthority) as caught:
        getattr(register, method)(value)
    assert isinstance(caught.value, IlacsError)


# -- lineage -------------------------------------------------------------------------------


def _urns(authorities: tuple[Authority, ...]) -> set[int]:
    return {a.urn for a in authorities}


def test_lineage(register: Register) -> None:
    assert _urns(register.successors(NORTHAMPTONSHIRE)) == {NORTH_NORTHANTS, WEST_NORTHANTS}
    assert _urns(register.predecessors(WEST_NORTHANTS)) == {NORTHAMPTONSHIRE}
    assert _urns(register.successors(CUMBRIA)) == {CUMBERLAND, WESTMORLAND}
    assert _urns(register.predecessors(CUMBERLAND)) == {CUMBRIA}
    assert _urns(register.successors(POOLE)) == {BCP}
    assert _urns(register.predecessors(BCP)) == {POOLE}
    assert register.successors(ISLE_OF_WIGHT) == ()

    northants = register.by_urn(NORTHAMPTONSHIRE).successors[0]
    assert northants.date == date(2021, 4, 1)
    assert "Northamptonshire Children's Trust" in (northants.note or "")
    assert register.by_urn(CUMBERLAND).predecessors[0].date == date(2023, 4, 1)

    bcp = {link.name: link for link in register.by_urn(BCP).predecessors}
    assert set(bcp) == {"Bournemouth", "Poole", "Dorset County Council"}
    assert bcp["Bournemouth"].urn is None and bcp["Bournemouth"].la_code == "837"
    assert all(link.date == date(2019, 4, 1) for link in bcp.values())
    (dorset,) = register.by_urn(DORSET).predecessors
    assert dorset.urn is None  # the pre-2019 URN is not in the shared data
    assert dorset.la_code == "835"


def test_lineage_links_are_symmetric(register: Register) -> None:
    for authority in register.all(include_defunct=True):
        for link in authority.successors:
            if link.urn is not None:
                back = register.by_urn(link.urn).predecessors
                assert any(b.urn == authority.urn and b.date == link.date for b in back)
        for link in authority.predecessors:
            if link.urn is not None:
                forward = register.by_urn(link.urn).successors
                assert any(f.urn == authority.urn and f.date == link.date for f in forward)
        assert authority.active == (not authority.successors)


# -- name matching -------------------------------------------------------------------------

NAMES = [
    ("Isle of Wight Council", 80419),
    ("the Isle of Wight local authority", 80419),
    ("Isle of Wight's", 80419),
    ("ISLE OF WIGHT COUNCIL", 80419),
    ("Bournemouth, Christchurch & Poole", BCP),
    ("Bournemouth, Christchurch and Poole Council", BCP),
    ("BCP", BCP),
    ("Kingston upon Hull", 80477),
    ("Kingston Upon Hull, City of", 80477),
    ("Hull City Council", 80477),
    ("St Helens", 80560),
    ("St. Helens", 80560),
    ("Saint Helens", 80560),
    ("City of London", 80450),
    ("City of London Corporation", 80450),
    ("London Corporation", 80450),
    ("Bristol City of", 80441),
    ("Bristol, City of", 80441),
    ("Bristol City Council", 80441),
    ("Southend-on-Sea city council", 80559),
    ("Medway Children's Services", 80522),
    ("Medway Children\u2019s Services", 80522),
    ("The Royal Borough of Windsor and Maidenhead", 80546),
    ("Windsor & Maidenhead", 80546),
    ("Royal Borough of Kingston-upon-Thames", 80545),
    ("London Borough of Sutton", 80515),
    ("Metropolitan Borough of Barnsley Council", 80426),
    ("Bradford Metropolitan District Council", 80449),
    ("City of Bradford Metropolitan District Council", 80449),
    ("Dudley MBC", 80464),
    ("Sheffield City", 80551),
    ("Darlington borough council", 80458),
    ("Durham County Council", 80465),
    ("County Durham", 80465),
    ("Durham", 80465),
    ("Herefordshire Council", 80474),
    ("Herefordshire", 80474),
    ("Herefordshire, County of", 80474),
    ("Telford and Wrekin", 80570),
    ("Telford & Wrekin", 80570),
    ("Kingston upon Thames", 80545),
    ("Richmond upon Thames", 80513),
    ("Hammersmith and Fulham", 80497),
    ("Hammersmith & Fulham", 80497),
    ("Brighton and Hove", 80438),
    ("Sandwell Children's Trust", 80549),
    ("Sandwell Children\u2019s Trust", 80549),
    ("Slough Children First", 80553),
    ("Bradford Children and Families Trust", 80449),
    ("Surrey Safeguarding Children Board", 80567),
    ("Nottingham City Council", 80533),
    ("Nottingham City", 80533),
    ("Nottingham", 80533),
    ("Nottinghamshire County Council", 80534),
    ("Nottinghamshire", 80534),
    ("Leicester", 80482),
    ("Leicester City Council", 80482),
    ("Leicestershire", 80483),
    ("Derby", 80459),
    ("Derby City Council", 80459),
    ("Derbyshire", 80460),
    ("York", 80453),
    ("City of York Council", 80453),
    ("North Yorkshire", 80530),
    ("Southampton", 80558),
    ("Stoke-on-Trent", 80564),
    ("Stoke on Trent City Council", 80564),
    ("Newcastle upon Tyne", 80525),
    ("Cheshire East", 80447),
    ("Cheshire East Unitary Authority", 80447),
    ("Cheshire West and Chester", 80448),
    ("Westmorland and Furness", WESTMORLAND),
    ("Cumberland", CUMBERLAND),
    ("Cumbria County Council", CUMBRIA),
    ("North Northamptonshire", NORTH_NORTHANTS),
    ("West Northamptonshire", WEST_NORTHANTS),
    ("Northamptonshire County Council", NORTHAMPTONSHIRE),
    ("Bournemouth", BCP),  # no URN for the pre-2019 Bournemouth: its successor
    ("Poole", POOLE),
    ("Dorset", DORSET),
    ("Dorset Council", DORSET),
    ("Isles of Scilly", 80455),
    ("Council of the Isles of Scilly", 80455),
    ("Blackburn with Darwen", 80430),
    ("Bath and North East Somerset", 80427),
    ("Wirral", 80581),
    ("Wakefield", 80451),
    ("East Riding of Yorkshire", 80466),
    ("Kirklees", 80478),
    ("Bedford Borough", 80428),
    ("Borough of Redcar and Cleveland", 80541),
    ("Tameside metropolitan borough", 80569),
    ("Westminster City Council", 80519),
    ("City of Westminster", 80519),
]


@pytest.mark.parametrize(("name", "urn"), NAMES)
def test_match(register: Register, name: str, urn: int) -> None:
    found = register.match(name)
    assert found is not None, name
    assert found.urn == urn, (name, found)


@pytest.mark.parametrize(
    "name",
    ["", "London", "Council", "Greater Manchester", "Yorkshire", "Atlantis Borough Council"],
)
def test_no_match(register: Register, name: str) -> None:
    assert register.match(name) is None


def test_a_shared_trust_names_no_single_authority(register: Register) -> None:
    # The trust delivers the services of both North and West Northamptonshire.
    assert register.match("Northamptonshire Children's Trust") is None
    found = register.match_all("Northamptonshire Children's Trust")
    assert _urns(found) == {NORTH_NORTHANTS, WEST_NORTHANTS}


def test_every_name_and_alias_matches_its_authority(register: Register) -> None:
    for authority in register.all(include_defunct=True):
        for name in authority.names:
            assert register.match(name) is authority, name


# -- names in running text -----------------------------------------------------------------


def _names_in(register: Register, text: str) -> list[str]:
    return [a.name for a in register.match_in_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Derbyshire County Council and Derby City Council", ["Derbyshire", "Derby"]),
        ("in Derbyshire", ["Derbyshire"]),
        (
            "North Northamptonshire, not Northamptonshire",
            ["North Northamptonshire", "Northamptonshire"],
        ),
        ("North Yorkshire and York", ["North Yorkshire", "York"]),
        ("Nottinghamshire and Nottingham", ["Nottinghamshire", "Nottingham"]),
        (
            "North East Lincolnshire, North Lincolnshire",
            ["North East Lincolnshire", "North Lincolnshire"],
        ),
        ("the London Borough of Sutton said", ["Sutton"]),
        ("the Isle of Wight and Hampshire partnership", ["Isle of Wight", "Hampshire"]),
        ("Bournemouth, Christchurch and Poole (BCP)", ["Bournemouth, Christchurch and Poole"]),
        (
            "Kingston upon Hull and Kingston upon Thames",
            ["Kingston upon Hull", "Kingston upon Thames"],
        ),
        ("St. Helens and St Helens", ["St Helens"]),
        ("reading the report, councils bury bad news", []),
        ("a flight to New York", []),
        ("Greater Manchester", []),
        ("Ofsted, Piccadilly Gate, Store Street, Manchester M1 2WD", []),
        ("the City of London", ["City of London"]),
        ("across London", []),
        ("Northamptonshire Children's Trust", ["North Northamptonshire", "West Northamptonshire"]),
    ],
)
def test_match_in_text(register: Register, text: str, expected: list[str]) -> None:
    assert _names_in(register, text) == expected


# -- the shared labels ---------------------------------------------------------------------


def _folders(shared: Path) -> Iterator[tuple[str, int, str]]:
    corpus = shared / "corpus"
    for folder in ("reports", "letters/focused_visit", "letters/jtai"):
        for path in sorted((corpus / folder).iterdir()):
            if path.is_dir():
                urn, _, name = path.name.partition("_")
                yield f"{folder}/{path.name}", int(urn), name


def _labels(shared: Path) -> Iterator[tuple[str, int, str]]:
    for labels in ("corpus/labels.jsonl", "corpus/letters/labels.jsonl"):
        for number, line in enumerate((shared / labels).read_text("utf-8").splitlines(), 1):
            if line.strip():
                record = json.loads(line)
                if record.get("la_name") is not None:
                    yield f"{labels}:{number}", record["urn"], record["la_name"]


def test_every_corpus_folder_name_matches_its_urn(register: Register, shared: Path) -> None:
    cases = list(_folders(shared))
    assert len(cases) > 150
    wrong = [(where, urn, name, register.match(name)) for where, urn, name in cases]
    assert [w for w in wrong if w[3] is None or w[3].urn != w[1]] == []


def test_every_labelled_la_name_matches_its_urn(register: Register, shared: Path) -> None:
    cases = list(_labels(shared))
    assert len(cases) > 500
    wrong = [(where, urn, name, register.match(name)) for where, urn, name in cases]
    assert [w for w in wrong if w[3] is None or w[3].urn != w[1]] == []


# -- the build -----------------------------------------------------------------------------


def test_rebuilding_gives_the_packaged_json(shared: Path, tmp_path: Path) -> None:
    build = load_script(BUILD_SCRIPT)
    output = tmp_path / "authorities.json"
    build.write(shared / "reference", output)
    assert output.read_text(encoding="utf-8") == PACKAGED.read_text(encoding="utf-8")


def test_malformed_data_is_refused() -> None:
    with pytest.raises(ReferenceDataError):
        Register.from_json("{not json")
    with pytest.raises(ReferenceDataError, match="schema_version"):
        Register.from_json('{"schema_version": 99, "authorities": []}')
    data = json.loads(PACKAGED.read_text(encoding="utf-8"))
    data["authorities"][0]["neighbours"]["2025"][0]["closeness"] = "quite near"
    with pytest.raises(ReferenceDataError, match="quite near"):
        Register.from_data(data)


def test_an_alias_naming_two_authorities_is_refused() -> None:
    data = json.loads(PACKAGED.read_text(encoding="utf-8"))
    by_name = {a["name"]: a for a in data["authorities"]}
    by_name["Derbyshire"]["aliases"].append("Derby City Council")
    with pytest.raises(ReferenceDataError, match="already names"):
        Register.from_data(data)
