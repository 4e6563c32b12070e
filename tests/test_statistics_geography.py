"""Places in official statistics joined to the register by code, through its lineage: the
four boundary changes, the changes of code alone, shared areas, and codes that join nothing."""

from __future__ import annotations

import pytest

from ilacs.reference import load_register
from ilacs.statistics.geography import Area, AreaLevel, Gazetteer, Relation, UnknownArea

LA = AreaLevel.LOCAL_AUTHORITY


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(load_register())


def place(gazetteer: Gazetteer, la_code: str, code: str, name: str = "as printed"):  # type: ignore[no-untyped-def]
    return gazetteer.place(Area(LA, code, la_code, name))


def test_bournemouth_christchurch_poole_and_dorset_2019(gazetteer: Gazetteer) -> None:
    register = gazetteer.register
    bcp, dorset = register.by_urn(2532287), register.by_urn(2532283)
    assert place(gazetteer, "839", "E06000058").urn == bcp.urn
    assert place(gazetteer, "838", "E06000059").urn == dorset.urn
    poole = place(gazetteer, "836", "E06000029")  # in the register: Poole itself
    assert (poole.relation, poole.urn) == (Relation.SAME, 137316)
    bournemouth = place(gazetteer, "837", "E06000028")  # no URN: its own place
    assert bournemouth.relation is Relation.PREDECESSOR and bournemouth.urn is None
    assert bournemouth.urns == (bcp.urn,)
    county = place(gazetteer, "835", "E10000009")
    assert county.relation is Relation.PREDECESSOR
    assert set(county.urns) == {bcp.urn, dorset.urn}  # Christchurch went to BCP
    assert county.subject == "area:835/E10000009" != bournemouth.subject


def test_north_and_west_northamptonshire_2021(gazetteer: Gazetteer) -> None:
    county = place(gazetteer, "928", "E10000021")
    assert (county.relation, county.urn) == (Relation.SAME, 121939)  # the defunct county
    assert place(gazetteer, "940", "E06000061").urn == 2637539
    assert place(gazetteer, "941", "E06000062").urn == 2637548
    trust = place(gazetteer, "940 / 941", "E06000061 / E06000062",
                  "North Northamptonshire / West Northamptonshire")
    assert trust.relation is Relation.SHARED and trust.urn is None
    assert trust.urns == (2637539, 2637548) and trust.subject == "shared:940/941"


def test_cumberland_and_westmorland_and_furness_2023(gazetteer: Gazetteer) -> None:
    cumbria = place(gazetteer, "909", "E10000006")
    assert (cumbria.relation, cumbria.urn) == (Relation.SAME, 135513)
    assert place(gazetteer, "942", "E06000063").urn == 2733690
    assert place(gazetteer, "943", "E06000064").urn == 2733698


@pytest.mark.parametrize(("la_code", "old", "new", "urn"), [
    ("370", "E08000016", "E08000038", 80426),  # Barnsley
    ("373", "E08000019", "E08000039", 80551),  # Sheffield
    ("815", "E10000023", "E06000065", 80530),  # North Yorkshire
    ("933", "E10000027", "E06000066", 80555),  # Somerset
    ("825", "E10000002", "E06000060", 80442),  # Buckinghamshire
])
def test_a_change_of_code_alone_is_the_same_authority(gazetteer: Gazetteer, la_code: str,
                                                      old: str, new: str, urn: int) -> None:
    before, after = place(gazetteer, la_code, old), place(gazetteer, la_code, new)
    assert (before.relation, after.relation) == (Relation.FORMER_CODE, Relation.SAME)
    assert before.urn == after.urn == urn
    assert before.subject == after.subject == f"la:{urn}"
    assert old in (before.note or "")
    assert place(gazetteer, "", old).urn == urn  # by the ONS code alone, too


def test_codes_that_join_nothing_are_unknown(gazetteer: Gazetteer) -> None:
    with pytest.raises(UnknownArea, match="LA code 999 and ONS code E06999999"):
        place(gazetteer, "999", "E06999999", "Atlantis")
    with pytest.raises(UnknownArea, match="is Kent .* not one Kent has had"):
        place(gazetteer, "886", "E06000046")  # Kent's number with the Isle of Wight's code
    with pytest.raises(UnknownArea, match="joins 2 LA codes but 1 ONS codes"):
        place(gazetteer, "940 / 941", "E06000061")


def test_names_play_no_part_in_the_join(gazetteer: Gazetteer) -> None:
    assert place(gazetteer, "921", "E06000046", "Kent").urn == 80419  # Isle of Wight's codes


def test_nation_and_regions(gazetteer: Gazetteer) -> None:
    england = gazetteer.place(Area(AreaLevel.NATIONAL, "E92000001", "", "England"))
    assert england.subject == "england" and england.urn is None
    south_east = gazetteer.place(Area(AreaLevel.REGIONAL, "E12000008", "", "South East"))
    assert south_east.subject == "region:E12000008"
    assert gazetteer.register.by_urn(80419).region_ons_code == "E12000008"
