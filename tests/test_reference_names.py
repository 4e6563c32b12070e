"""Name normalisation for the reference register: plain forms, reductions, slugs, text search."""

from __future__ import annotations

import pytest

from ilacs.reference.names import PhraseFinder, name_key, normalise, reductions, slugify, tokens


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("The Royal Borough of Windsor & Maidenhead", "royal borough of windsor and maidenhead"),
        ("St. Helens", "st helens"),
        ("Saint Helens", "st helens"),
        ("Stoke-on-Trent", "stoke on trent"),
        ("Medway Children\u2019s Services", "medway children services"),
        ("Bristol, City of", "bristol city of"),
        ("  the  the Isle of Wight ", "isle of wight"),
        ("", ""),
    ],
)
def test_normalise(name: str, plain: str) -> None:
    assert normalise(name) == plain


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Metropolitan Borough of Barnsley Council", "barnsley"),
        ("City of Bradford Metropolitan District Council", "bradford"),
        ("Kingston Upon Hull, City of", "kingston upon hull"),
        ("Herefordshire, County of", "herefordshire"),
        ("Council of the Isles of Scilly", "isles of scilly"),
        ("the Isle of Wight local authority", "isle of wight"),
        ("Surrey Safeguarding Children Board", "surrey"),
        ("Bradford Children and Families Trust", "bradford"),
        ("Dudley MBC", "dudley"),
        # never reduced to a word too generic to name one authority
        ("City of London", "city of london"),
        ("City of London Corporation", "city of london"),
        ("London Corporation", "london corporation"),
        # never reduced to nothing
        ("County Council", "county"),
        ("Council", "council"),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


def test_reductions_go_one_word_at_a_time() -> None:
    assert reductions("Metropolitan Borough of Barnsley Council") == (
        "metropolitan borough of barnsley council",
        "metropolitan borough of barnsley",
        "barnsley",
    )
    assert reductions("") == ()


def test_slugify() -> None:
    assert slugify("Isle of Wight") == "isle-of-wight"
    assert slugify("Bournemouth, Christchurch & Poole") == "bournemouth-christchurch-and-poole"
    assert slugify("St Helens") == "st-helens"
    assert slugify("Stoke-on-Trent") == "stoke-on-trent"


def test_tokens() -> None:
    assert tokens("Children's Trust & Co.") == ["children", "trust", "and", "co"]


def test_phrase_finder_longest_first_and_word_boundaries() -> None:
    finder = PhraseFinder({"Derby": "derby", "Derbyshire": "shire", "North Derby": None})
    assert finder.find("Derbyshire, Derby and Derby again") == ["shire", "derby"]
    assert finder.find("North Derby") == []  # blocked
    assert finder.find("derby day") == []  # not capitalised
    assert PhraseFinder({}).find("anything") == []
