"""What inspectors praised: the strengths a report states, each with its page.

Two places in a report say what an authority does well:
- the list some inspections print under "The local authority's strengths" (46 SIF reports
  of the corpus, published in 2014 and 2015): every point of it is a strength (source
  "strengths_list");
- the summary: on an ILACS report the prose between the judgement table and "What needs to
  improve?" (or the first judgement's section, where a report asks for nothing), on an older
  report its "Executive summary" or "Summary of (key) findings". The summary weighs
  strengths against weaknesses in the same paragraphs, so only the sentences that praise
  without reserve are kept (source "summary"): a sentence with a word of praise and no word
  of reserve. A sentence that praises one thing and faults another ("strong, but not yet
  consistent") is left out, because half of it would be a wrong answer to "what were they
  praised for".

The rule is measured against hand labels of every summary sentence by
`ilacs eval strengths` (see docs/analysis.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ilacs.extract.frameworks import Framework
from ilacs.extract.improvements import extract_items, find_list_start
from ilacs.extract.models import Strength
from ilacs.extract.text import JoinedText, Line, normalise_space

STRENGTHS_LIST = "strengths_list"
SUMMARY = "summary"

_GRADE_LINE = re.compile(
    r"^(?:overall effectiveness\s+)?(?:outstanding|good|requires improvement(?: to be good)?|"
    r"inadequate|(?:to )?be good)\s*$", re.IGNORECASE)
_STRENGTHS_HEADING = re.compile(
    r"^(?:the local authority.s strengths|the local authority has the following strengths)$",
    re.IGNORECASE)
_STRENGTHS_END = re.compile(
    r"^(?:progress since the last inspection|summary for children|information about (?:this|the)"
    r" (?:inspection|local authority)|inspection judgements? about|what does the local "
    r"authority need to improve|the local safeguarding children board|what does the lscb|"
    r"priority and immediate action|areas for improvement|recommendations)",
    re.IGNORECASE)
_EXECUTIVE_SUMMARY = re.compile(
    r"^(?:executive summary|summary of key findings|"
    r"(?:section 1: the local authority\s*[-–]\s*)?summary of findings)$",
    re.IGNORECASE)
_EXECUTIVE_SUMMARY_END = re.compile(
    r"^(?:contents|what does the local authority need to improve|the local authority.s "
    r"strengths|the local authority has the following strengths|progress since the last|"
    r"summary for children|information about (?:this|the)|inspection judgements? about)",
    re.IGNORECASE)
# An ILACS report's first judgement section: its heading ("The experiences and progress of
# children who need help and protection: good", over two lines), or its first paragraph.
_SECTION_HEADING = re.compile(r"^(?:the )?(?:experiences and progress of|impact of leaders)\b",
                              re.IGNORECASE)
_SECTION_GRADE = re.compile(
    r":\s*(?:outstanding|good|inadequate|requires improvement(?: to be good)?)\.?\s*$",
    re.IGNORECASE)
_FIRST_PARAGRAPH = re.compile(r"^1\.\s+[A-Z]")
_SUMMARY_LINES_AFTER_TABLE = 60  # where page one's judgement table may end, at the latest
_TABLE_ROW_LINES = 4  # at most, from one grade of the judgement table to the next

# A sentence ends at . ! or ? followed by a capital or an opening quote, except after the
# abbreviations inspectors use mid-sentence.
_SENTENCE_END = re.compile(
    r"(?<!\be\.g)(?<!\bi\.e)(?<!\bDr)(?<!\bSt)(?<!\bNo)[.!?](?=\s+[A-Z‘'“(])")
_PRAISE = re.compile(
    r"\b(?:good|strong(?:ly)?|strength(?:s|ened)?|effective(?:ly)?|well|timely|high[- ]quality|"
    r"skilled|impressive|robust(?:ly)?|thorough(?:ly)?|benefit(?:s|ted|ting)?|"
    r"improv(?:ed|ing|ements?)|better|solid|positive(?:ly)?|excellent|excellence|outstanding|"
    r"exceptional(?:ly)?|committed|commitment|ambitio(?:n|us)|stable|stability|stabilised|"
    r"creative|innovative|innovation|sensitive(?:ly)?|purposeful(?:ly)?|comprehensive|"
    r"prompt(?:ly)?|appropriate(?:ly)?|consistent(?:ly)?|value[ds]?|pride|proud|highly|"
    r"success(?:ful|fully)?|secure[sd]?|supportive|manageable|celebrated|determin(?:ed|ation)|"
    r"relentless(?:ly)?|unrelenting|resolute|progress|quick(?:ly)?|swift(?:ly)?|"
    r"rigorous(?:ly)?|tenacious(?:ly)?|insightful|knowledgeable|child-centred|sustained|"
    r"embedded|mature|effectiveness|responsive|proactive(?:ly)?|thoughtful(?:ly)?|caring|warm|"
    r"nurturing|dedicated|passionate|confident(?:ly)?|accurate(?:ly)?|detailed|meaningful|"
    r"trusting|respect(?:ful)?|enhanced|maintained|addressed|regularly|close attention|"
    r"compassion(?:ate)?|pivotal|credible|lowest|morale is high|(?:best )?interests?|protected|"
    r"right (?:support|help|time)|aspirations?|safe|increasing|clear(?:ly)?|reflective|"
    r"forward-looking|intense(?:ly)?|concerted|tangible|at the centre|steady|strengthening|"
    r"without (?:delay|drift))\b",
    re.IGNORECASE)
_RESERVE = re.compile(
    r"\b(?:however|but|although|though|while|whilst|not|no|nor|never|cannot|yet|"
    r"inconsisten(?:t|tly|cy|cies)|variab(?:le|ility)|weak(?:er|ness|nesses)?|poor(?:ly)?|"
    r"inadequate|insufficient(?:ly)?|lack(?:s|ing)?|delay(?:s|ed)?|too|shortfalls?|gaps?|"
    r"fail(?:s|ed|ing|ures?)?|requir(?:es?|ing) improvement|needs? to|needed|more (?:work|to do)|"
    r"deteriorat(?:ed|ing|ion)|underdeveloped|limited|drift|backlogs?|fragile|uneven|"
    r"except|only (?:some|a few)|some children|a (?:small )?(?:minority|number) of|"
    r"concerns? (?:about|remain)|remains? (?:a )?(?:concern|challenge)|some (?:progress|"
    r"improvements?)|less|slow(?:er|ly)?|unclear|unable|missed|overly|high caseloads|"
    r"(?:still|only|yet) (?:at )?(?:an )?early|too early|early days|beginning to|started to|"
    r"in the process|emerging|could|further (?:development|work|improvement)|pockets?|"
    r"intend(?:s|ed)?|plans? to|will|some|undermin(?:ed|es|ing)|turnover|deprivation)\b",
    re.IGNORECASE)
# Praise phrases that contain a word of reserve: taken out before reserve is looked for.
_PRAISE_WITH_RESERVE_WORDS = re.compile(
    r"\b(?:without (?:delay|drift)|not only|no longer (?:need|require)|"
    r"(?:reduc(?:ed|ing)|minimis(?:e|ed|ing)|avoid(?:s|ed|ing)?|prevent(?:s|ed|ing)?) "
    r"(?:unnecessary )?(?:delay|drift|the need)s?|"
    r"no child|never (?:too|lose)|manageable caseloads|low caseloads|strengths and "
    r"(?:weaknesses|areas for (?:development|improvement))|(?:very few|few|limited) areas? "
    r"(?:for|of) (?:improvement|development)|(?:their|the child.s) needs)\b|"
    # a past grade recalled to measure progress by: "improved since 2019, when they were
    # judged inadequate"
    r",? when (?:it|they|services|the (?:local )?authority|[\w’' ]{3,40}) (?:was|were) "
    r"(?:judged|found|rated)[^.;]*",
    re.IGNORECASE)


@dataclass(frozen=True)
class SummarySentence:
    """A sentence of a report's summary, whether or not it praises: the unit of the labels."""

    text: str
    page: int
    praises: bool


def report_strengths(lines: Sequence[Line], framework: Framework) -> tuple[Strength, ...]:
    """The report's strengths: its strengths list when it has one, else the summary's
    sentences of praise."""
    listed = strengths_list(lines, framework)
    if listed:
        return listed
    return tuple(Strength(sentence.text, sentence.page, SUMMARY)
                 for sentence in summary_sentences(lines, framework) if sentence.praises)


def summary_sentences(lines: Sequence[Line], framework: Framework) -> list[SummarySentence]:
    """Every sentence of the report's summary, with the rule's verdict on it."""
    summary = _summary_lines(lines, framework)
    if not summary:
        return []
    joined = JoinedText.of(summary)
    sentences: list[SummarySentence] = []
    start = 0
    for end in [match.end() for match in _SENTENCE_END.finditer(joined.text)] + [
            len(joined.text)]:
        piece = joined.text[start:end]
        text = normalise_space(piece)
        if len(text) > 20 and text[-1] in ".!?":
            # the page its first word is on, not the page of the space before it
            opening = start + len(piece) - len(piece.lstrip())
            sentences.append(SummarySentence(text, joined.page_at(opening), praises(text)))
        start = end
    return sentences


def praises(sentence: str) -> bool:
    """A sentence praises when it has a word of praise and no word of reserve."""
    plain = _PRAISE_WITH_RESERVE_WORDS.sub(" ", sentence)
    return bool(_PRAISE.search(sentence)) and not _RESERVE.search(plain)


def strengths_list(lines: Sequence[Line], framework: Framework) -> tuple[Strength, ...]:
    start = find_list_start(lines, (_STRENGTHS_HEADING,))
    if start is None:
        return ()
    items = extract_items(lines, start, (_STRENGTHS_END, *framework.improvement_headings),
                          numbered=framework.improvement_style == "numbered",
                          section=STRENGTHS_LIST)
    return tuple(Strength(item.text, item.page, STRENGTHS_LIST) for item in items)


def _summary_lines(lines: Sequence[Line], framework: Framework) -> list[Line]:
    if framework.layout == "ilacs_table":
        start = _after_judgement_table(lines[:_SUMMARY_LINES_AFTER_TABLE])
        if start is None:
            return []
        # up to "What needs to improve?", or the first judgement's section where a report
        # asks for nothing (outstanding ones may not)
        for end in range(start, len(lines)):
            if _ends_summary(lines, end, framework):
                return list(lines[start:end])
        return []
    start = find_list_start(lines, (_EXECUTIVE_SUMMARY,))
    if start is None:
        return []
    summary: list[Line] = []
    for line in lines[start:]:
        text = re.sub(r"\?\d+$", "?", line.text.strip())
        if _EXECUTIVE_SUMMARY_END.search(text) or any(
                heading.search(text) for heading in framework.improvement_headings):
            break
        summary.append(line)
    return summary


def _ends_summary(lines: Sequence[Line], index: int, framework: Framework) -> bool:
    """Whether the ILACS summary ends at `index`: at "What needs to improve?", or at the first
    judgement's section where a report asks for nothing (an outstanding one may not)."""
    text = lines[index].text.strip()
    if any(heading.search(text) for heading in framework.improvement_headings):
        return True
    if _FIRST_PARAGRAPH.match(text):
        return True
    return bool(_SECTION_HEADING.match(text)) and any(
        _SECTION_GRADE.search(line.text.strip()) for line in lines[index:index + 3])


def _after_judgement_table(opening: Sequence[Line]) -> int | None:
    """The index after the judgement table on page one: after its last grade, the table being
    the run of grades each a judgement's name (a few lines) after the one before."""
    last = None
    for index, line in enumerate(opening):
        if not _GRADE_LINE.match(line.text.strip()):
            continue
        if last is not None and index - last > _TABLE_ROW_LINES:
            break  # the next grade is a section's heading, past the summary
        last = index
    return None if last is None else last + 1
