"""What an article claims: a grade for a judgement, a change of rating, an intervention.

Each claim is read from one sentence and attributed to the LA named nearest to it (the
council a grade describes, the council a direction is issued to), else to the article's
main LA. Conditional and hoped-for statements ('would achieve a good rating', 'until it is
revoked') are not claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ilacs.extract.claim_dates import claim_when
from ilacs.extract.models import ALL_JUDGEMENTS, Claim, ClaimKind, Grade
from ilacs.reference import load_register
from ilacs.reference.names import word_position

if TYPE_CHECKING:
    from ilacs.extract.articles import Sentence

_OPEN = r"[‘'\"“]?"
_CLOSE = r"[’'\"”]?"
_GRADE = r"(?P<grade>outstanding|good|requires\s+improvement(?:\s+to\s+be\s+good)?|inadequate)"
_GRADE_BY_WORD = {"outstanding": Grade.OUTSTANDING, "good": Grade.GOOD,
                  "requires": Grade.REQUIRES_IMPROVEMENT, "inadequate": Grade.INADEQUATE}
# "rated good", "judged the overall effectiveness ... to be inadequate", "finding it
# inadequate", "rated the Council's services as 'Good'", "were still 'inadequate'".
_RATED = re.compile(
    r"\b(?:(?:rated|rates|rate|judged|graded|deemed)(?:\s+(?P<what>[^.;:]{0,90}?)\s+"
    r"(?:as|to\s+be))?|found\s+(?:it|them|services|the\s+\w+)(?:\s+to\s+be)?|"
    r"finding\s+(?:it|them)|(?:was|were|is|are|remains?|remained)\s+(?:still\s+)?(?=[‘'\"“]))"
    r"\s+(?:as\s+)?(?:to\s+be\s+)?" + _OPEN + _GRADE + _CLOSE + r"(?![\w-])",
    re.IGNORECASE)
# "good-rated Gateshead", "'inadequate' Surrey, Newham", "this 'good' rating".
_ADJECTIVE = re.compile(
    r"(?<![\w-])" + _OPEN + _GRADE + _CLOSE + r"(?P<rated>-rated|\s+rating)?(?=[\s,])",
    re.IGNORECASE)
_QUOTED = re.compile(r"[‘'\"“]" + _GRADE + r"[’'\"”]", re.IGNORECASE)
_ALSO = re.compile(r"\s+and\s+" + _OPEN + _GRADE + _CLOSE + r"\s+(?:for|in)\b", re.IGNORECASE)
_CHANGE = re.compile(
    r"\bfrom\s+" + _OPEN + r"(?P<before>outstanding|good|requires\s+improvement|inadequate)"
    + _CLOSE + r"(?:\s+overall)?\s+to\s+" + _OPEN + _GRADE + _CLOSE, re.IGNORECASE)
_HYPOTHETICAL = re.compile(
    r"\b(?:would|could|might|hopes?|hoping|aims?|expects?|expected|anticipat\w*|wants?|"
    r"ambition|aspir\w*|if|until|unless|not|no\s+longer|never|target)\b", re.IGNORECASE)
_PLURAL_GENERIC = re.compile(r"^\s*(?:councils|authorities|local\s+authorities|services|ones)\b",
                             re.IGNORECASE)
_JUDGEMENT_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern, re.IGNORECASE)) for key, pattern in (
        (ALL_JUDGEMENTS, r"every\s+(?:category|area|judge?ment|domain)|all\s+(?:the\s+)?"
                         r"(?:domains|areas|aspects|judge?ments|categories)|across\s+the\s+board"),
        ("impact_of_leaders", r"impact\s+of\s+leaders|leadership"),
        ("help_and_protection", r"help\s+and\s+protection"),
        ("children_in_care", r"children\s+in\s+care|looked[\s-]after"),
        ("care_leavers", r"care\s+leavers"),
        ("adoption_performance", r"adoption"),
        ("overall_effectiveness", r"overall"),
    ))
_AFTER_GRADE = re.compile(r"^[’'\"”]?\s*(?:for|in|across)\s+[‘'\"“]?(?:the\s+)?")

_INTERVENTION_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern, re.IGNORECASE)) for key, pattern in (
        ("improvement_notice", r"improvement\s+notice"),
        ("statutory_direction",
         r"(?:statutory\s+)?direction\b|\bordered\s+(?!by\b)[\w ]{2,40}?\s+to\b"),
        ("childrens_trust", r"children.s\s+trust|alternative\s+delivery\s+model"),
        ("commissioner", r"\bcommissioner\b"),
        ("improvement_adviser", r"\badvis[eo]r\b"),
        ("partnership", r"partner(?:ship)?\s+with|(?:assistance|help|support)\s+from|"
                        r"improvement\s+partner"),
    ))
# Most specific first: "Revised direction issued" is a revision.
_ACTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern, re.IGNORECASE)) for key, pattern in (
        ("revoked", r"\brevok\w*"),
        ("lifted", r"\blift(?:ed|ing|s)?\b|\bremoved\b|\bfreed\b|\bdissolv\w*|\bended\b"),
        ("revised", r"\brevised\b|\breplaces\b"),
        ("renewed", r"\brenewed\b|\bextended\b"),
        ("appointed", r"\bappoint\w*"),
        ("established", r"\bestablished\b|\bset\s+up\b|\bformed\b|\bcame\s+into\s+being\b"),
        ("issued", r"\bissu\w*|\bimpos\w*|\bserved\b|\bordered\b|\bannounced\b|\bintervene\w*"),
    ))
# "The commissioner was appointed following a report by Ofsted", "The direction followed a
# 2012 Ofsted inspection": why an intervention the article already knows of exists (its
# background), not news of it.
_BECAUSE_OF_REPORT = re.compile(
    r"^\s*(?:was|were|had\s+been)?\s*(?:\w+\s+)?(?:following|followed|after|in\s+the\s+wake\s+of)"
    r"\s+(?:a|an|the|its)\b[^.;]{0,60}?\b(?:report|inspection|judgement|visit)", re.IGNORECASE)
_JUST_DONE = re.compile(r"\bhas\s+(?:now\s+)?(?:been\s+)?[a-z]+ed\b|\btoday\b")
_ACTION_REACH = 90  # characters between the intervention's name and its verb
_PERSON = re.compile(r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z’'-]+){1,2}),[^.]{0,200}?"
                     r"(?:has\s+been|was|is)\s+appointed")
_NAMED_ROLE = re.compile(r"\b(?:appointed\s+)?(?:commissioner|advis[eo]r)\s+(?P<name>[A-Z][a-z]+"
                         r"(?:\s+[A-Z][a-z’'-]+){1,2})")


def find_claims(sentences: Sequence[Sentence], main_urn: int | None,
                published: date | None) -> list[Claim]:
    claims: list[Claim] = []
    for index, sentence in enumerate(sentences):
        found = [*_grade_claims(sentence.text, main_urn, published),
                 *_intervention_claims(sentence.text, main_urn, published)]
        if published is not None:
            # A headline reports the news of its day, as does "has issued", "has been
            # appointed" about an intervention.
            found = [replace(claim, when=published, when_precision="day")
                     if claim.when is None and (index == 0 or (
                         claim.kind is ClaimKind.INTERVENTION and _JUST_DONE.search(
                             sentence.text))) else claim
                     for claim in found]
        claims.extend(found)
    return _named_people(_merge(claims), " ".join(s.text for s in sentences))


def grade_of(word: str) -> Grade:
    return _GRADE_BY_WORD[word.split()[0].casefold()]


def _grade_claims(text: str, main_urn: int | None, published: date | None) -> list[Claim]:
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []
    for change in _CHANGE.finditer(text):
        taken.append(change.span())
        urn = _subject_before(text, change.start(), main_urn)
        claims.append(Claim(ClaimKind.RATING_CHANGE, urn, text, "overall_effectiveness",
                            grade_of(change["grade"]), previous_grade=grade_of(change["before"]),
                            **claim_when(text, change.end(), published)))
    for match in _RATED.finditer(text):
        if _overlaps(match.span("grade"), taken) or _hypothetical(text, match.start()):
            continue
        taken.append(match.span("grade"))
        urn = _subject_before(text, match.start(), main_urn)
        when = claim_when(text, match.end(), published)
        claims.append(Claim(ClaimKind.GRADE, urn, text, _judgement(text, match.span("grade")),
                            grade_of(match["grade"]), **when))
        for also in _ALSO.finditer(text, match.end()):
            taken.append(also.span("grade"))
            claims.append(Claim(ClaimKind.GRADE, urn, text,
                                _judgement(text, also.span("grade")), grade_of(also["grade"]),
                                **when))
    for match in _ADJECTIVE.finditer(text):
        if _overlaps(match.span("grade"), taken) or _hypothetical(text, match.start()):
            continue
        quoted = bool(_QUOTED.match(text, match.start())) or match["rated"]
        if not quoted:
            continue  # a bare "good" is praise, not a grade
        following = _authorities_after(text, match.end())
        if not following and _PLURAL_GENERIC.match(text[match.end():]):
            continue  # "five 'inadequate' local authorities"
        urns: list[int | None] = [*following] or [_subject_before(text, match.start(),
                                                                  main_urn)]
        when = claim_when(text, match.end(), published)
        for urn in urns:
            claims.append(Claim(ClaimKind.GRADE, urn, text, "overall_effectiveness",
                                grade_of(match["grade"]), **when))
    return claims


def _intervention_claims(text: str, main_urn: int | None,
                         published: date | None) -> list[Claim]:
    claims: list[Claim] = []
    found = {key: match for key, pattern in _INTERVENTION_TYPES
             if (match := pattern.search(text))}
    partnership = found.pop("partnership", None)
    if partnership is not None and not found:
        found["partnership"] = partnership
    for key, match in found.items():
        if _background(text, match):
            continue
        action = _action_near(text, match)
        if action is None:
            continue
        partner = _partner(text, partnership.end() if partnership else None)
        if key == "partnership" and partner is None:
            continue  # "go into partnership with a neighbour": no one named
        after = _authorities_after(text, match.end(), reach=3)
        urn = next((found for found in after if found != partner), None) if re.match(
            r"\s+to\b", text[match.end():]) else None
        urn = urn or _subject_before(text, match.end(), main_urn, exclude=partner)
        claims.append(Claim(ClaimKind.INTERVENTION, urn, text, intervention_type=key,
                            action=action, partner_urn=partner,
                            **claim_when(text, match.start(), published)))
    return claims


def _background(text: str, match: re.Match[str]) -> bool:
    """'The <intervention> was <done> following a report by Ofsted ...': the article's
    reason for an intervention it has already named, not an event it reports."""
    definite = re.search(r"(?:^|[.;]\s*)the\s+(?:[\w-]+\s+)?$", text[:match.start()],
                         re.IGNORECASE)
    return definite is not None and _BECAUSE_OF_REPORT.match(text[match.end():]) is not None


def _action_near(text: str, match: re.Match[str]) -> str | None:
    """The most specific action named near the intervention, if it is stated as done: not
    'until it is revoked', 'that a board be established', nor 'the appointed adviser'."""
    start = max(0, match.start() - _ACTION_REACH)
    window = text[start: match.end() + _ACTION_REACH]
    for key, pattern in _ACTIONS:
        for action in pattern.finditer(window):
            at = start + action.start()
            between = text[min(at, match.start()): max(at, match.end())]
            if _HYPOTHETICAL.search(between) or _HYPOTHETICAL.search(text[max(0, at - 30):at]):
                continue
            if re.search(r"\bbe\s+$", text[:at]) or re.match(
                    r"(?:appointed|-appointed)\s+(?:commissioner|advis[eo]r)", text[at - 1 if
                    text[at - 1: at] == "-" else at:], re.IGNORECASE) or re.search(
                    r"(?:\bthe|-)\s*$", text[:at]):
                continue
            return key
    return None


def _partner(text: str, after: int | None) -> int | None:
    if after is None:
        return None
    following = _authorities_after(text, after, reach=6)
    return following[0] if following else None


def _subject_before(text: str, offset: int, main_urn: int | None,
                    exclude: int | None = None) -> int | None:
    """The LA named last before `offset` in the sentence, else the article's main LA."""
    position = word_position(text, offset)
    # "assistance from Camden", "partnership with Hampshire": a partner, not the subject.
    partners = {word_position(text, m.end()) for m in re.finditer(r"\b(?:from|with)\s+", text)}
    mentions = [(at, authority.urn) for at, authority in load_register().mentions(text)
                if authority.urn != exclude and at not in partners]
    before = [urn for at, urn in mentions if at < position]
    if before:
        return before[-1]
    return main_urn


def _authorities_after(text: str, offset: int, reach: int = 2) -> list[int]:
    """The LAs listed right after `offset` ("'inadequate' Surrey, Newham and Bradford")."""
    start = word_position(text, offset)
    urns: list[int] = []
    expected = start
    for at, authority in load_register().mentions(text):
        if at < start:
            continue
        if at - expected > (reach if not urns else 2):
            break
        urns.append(authority.urn)
        expected = at + len(authority.name.split())
    return urns


def _judgement(text: str, grade_span: tuple[int, int]) -> str:
    """The judgement the grade is given for: a phrase right after it ('for the impact of
    leaders', 'across all domains'), else the nearest phrase before it, else overall."""
    after = text[grade_span[1]:]
    lead = _AFTER_GRADE.match(after)
    if lead:
        rest = after[lead.end(): lead.end() + 60]
        for key, pattern in _JUDGEMENT_PHRASES:
            if pattern.match(rest):
                return key
    before = text[max(0, grade_span[0] - 110): grade_span[0]]
    best: tuple[int, str] | None = None
    for key, pattern in _JUDGEMENT_PHRASES:
        for match in pattern.finditer(before):
            if best is None or match.end() > best[0]:
                best = (match.end(), key)
    return best[1] if best else "overall_effectiveness"


def _hypothetical(text: str, offset: int, reach: int = 50) -> bool:
    return bool(_HYPOTHETICAL.search(text[max(0, offset - reach): offset]))


def _overlaps(span: tuple[int, int], taken: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _merge(claims: list[Claim]) -> list[Claim]:
    """One claim per LA and assertion: an article repeats its headline in its first line."""
    merged: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        key = (claim.kind, claim.urn, claim.judgement, claim.grade, claim.intervention_type,
               claim.action)
        kept = merged.get(key)
        if kept is None:
            merged[key] = claim
        elif kept.partner_urn is None and claim.partner_urn is not None:
            merged[key] = replace(kept, partner_urn=claim.partner_urn)
        elif kept.when is None and claim.when is not None:
            merged[key] = replace(kept, when=claim.when, when_precision=claim.when_precision,
                                  when_printed=claim.when_printed)
    return list(merged.values())


def _named_people(claims: list[Claim], text: str) -> list[Claim]:
    """The commissioner or adviser an article names ('the appointed adviser John Coughlan',
    'Nick Whitfield, ..., has been appointed')."""
    named = _NAMED_ROLE.search(text) or _PERSON.search(text)
    if named is None:
        return claims
    return [replace(claim, person=named["name"])
            if claim.intervention_type in {"commissioner", "improvement_adviser"} or (
                claim.intervention_type == "statutory_direction" and _NAMED_ROLE.search(text))
            else claim for claim in claims]

