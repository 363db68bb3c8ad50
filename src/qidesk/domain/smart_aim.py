"""The SMART aim check: does an aim say what will improve, by how much, by when, for whom?

IHI's Model for Improvement asks "What are we trying to accomplish?" and wants the answer
time-specific and measurable, naming the population (Langley et al., The Improvement
Guide, 2nd ed., ch. 5). These rules read plain English aims as ward teams write them;
they only prompt, never block, so a miss costs a needless hint, not a refused aim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|nine|twelve|eighteen|twenty-four)"
_DATES = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}\b",
    rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    rf"\b{_MONTH}\.?\s+\d{{4}}\b",
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    r"\b\d{4}-\d{2}-\d{2}\b",
    r"\b(?:Q[1-4]|quarter\s+[1-4])\s+(?:of\s+)?\d{4}(?:/\d{2})?\b",
    r"\b(?:spring|summer|autumn|winter)\s+\d{4}\b",
    r"\bend\s+of\s+(?:the\s+)?(?:\d{4}(?:/\d{2})?|year|financial\s+year|quarter|month)\b",
    rf"\bwithin\s+(?:the\s+next\s+)?{_NUMBER_WORD}\s+(?:days?|weeks?|months?|years?)\b",
    r"\b(?:by|before|until|in)\s+\d{4}(?:/\d{2})?\b",
)]
_MONTH_WITHOUT_YEAR = re.compile(rf"\b(?:by|before|until|in)\s+(?:the\s+end\s+of\s+)?{_MONTH}\b",
                                 re.IGNORECASE)
_CHANGE = re.compile(
    r"\b(increas\w*|reduc\w*|decreas\w*|improv\w*|rais\w*|lower\w*|cut|halv\w*|doubl\w*|"
    r"eliminat\w*|prevent\w*|achiev\w*|sustain\w*|maintain\w*|shorten\w*|fewer|zero|"
    r"minimi[sz]\w*|maximi[sz]\w*)\b\s*(.*)", re.IGNORECASE)
_VAGUE = re.compile(r"\b(better|improv\w*|more|less|fewer|enhanc\w*|increas\w*|reduc\w*)\b",
                    re.IGNORECASE)
# Words that end the "what" part: the amount, the time or the population comes next.
_WHAT_END = re.compile(r"\s(?:from|by|to|on|in|at|for|across|among|within|before|below|"
                       r"above|under|over|so|and)\s|[,.;:(]|\s\d", re.IGNORECASE)
_NUM = r"\d[\d,]*(?:\.\d+)?"
_AMOUNTS = [re.compile(p, re.IGNORECASE) for p in (
    rf"\bfrom\s+(?:a\s+)?(?:median\s+|mean\s+|average\s+|baseline\s+)?(?:of\s+)?{_NUM}\s*"
    rf"(?:%|percent|per\s*cent)?.*?\bto\s+(?:a\s+)?{_NUM}\s*(?:%|percent|per\s*cent)?",
    rf"\b(?:by|to|below|under|above|over|at\s+least|at\s+most|no\s+more\s+than|"
    rf"fewer\s+than|less\s+than|more\s+than)\s+{_NUM}\s*(?:%|percent|per\s*cent)?",
    rf"{_NUM}\s*(?:%|percent|per\s*cent)",
    r"\b(?:halv\w*|doubl\w*|zero|eliminat\w*|by\s+half)\b",
)]
_FROM = re.compile(r"\bfrom\s+(?:a\s+)?(?:\w+\s+)?(?:of\s+)?\d", re.IGNORECASE)
_PLACE_NUMBER = re.compile(r"\b(?:ward|bay|unit|level|floor|room|theatre)\s+\d+\b", re.IGNORECASE)
_POPULATION = re.compile(
    r"\b(?:in-?patients?|out-?patients?|patients?|residents?|people|adults?|children|"
    r"babies|infants|women|mothers|men|carers|families|service\s+users|staff|nurses|"
    r"doctors|over[-\s]\d+s|aged\s+\d+)\b", re.IGNORECASE)
_PLACE = re.compile(
    r"\b(?:on|in|at|across|for|within|throughout)\s+(?:the\s+|our\s+|all\s+|each\s+|every\s+)?"
    r"(?:[\w&'’-]+\s+){0,3}?(?:(?:ward|bay|unit)\s+\d+\w*|wards?|units?|bays?|clinics?|departments?|theatres?|services?|"
    r"hospitals?|trust|practices?|homes?|ED|A&E|ICU|ITU|HDU|SCBU|NICU)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class AimPart:
    """One SMART question and what the aim says to it (`answer` None: not said yet)."""

    key: str
    question: str
    answer: str | None
    prompt: str  # what to add, shown while the part is missing
    advice: str = ""  # a softer tip even when the part is there

    @property
    def found(self) -> bool:
        return self.answer is not None


@dataclass(frozen=True)
class AimCheck:
    parts: tuple[AimPart, ...]

    @property
    def missing(self) -> tuple[AimPart, ...]:
        return tuple(p for p in self.parts if not p.found)

    @property
    def is_smart(self) -> bool:
        return not self.missing

    def part(self, key: str) -> AimPart:
        return next(p for p in self.parts if p.key == key)


def check_aim(text: str) -> AimCheck:
    """Which of what / how much / by when / for whom an aim statement answers."""
    text = " ".join(text.split())
    when, rest = _by_when(text)
    return AimCheck((_what(text), _how_much(text, rest), when, _for_whom(text)))


def _first(patterns, text: str) -> re.Match | None:
    found = [m for m in (p.search(text) for p in patterns) if m]
    return min(found, key=lambda m: m.start()) if found else None


def _by_when(text: str) -> tuple[AimPart, str]:
    """The time part, and the text with its dates blanked (so years are not amounts)."""
    question = "By when"
    rest = text
    for pattern in _DATES:
        rest = pattern.sub(lambda m: " " * len(m.group()), rest)
    match = _first(_DATES, text)
    if match:
        return AimPart("by_when", question, match.group().strip(), ""), rest
    month = _MONTH_WITHOUT_YEAR.search(text)
    if month:
        prompt = (f"By when? “{month.group()}” needs a year: say the full date, "
                  f"e.g. “by 31 March 2027”.")
    else:
        prompt = "By when? Add the date you will reach it, e.g. “by 31 March 2027”."
    return AimPart("by_when", question, None, prompt), rest


def _what(text: str) -> AimPart:
    question = "What will improve"
    match = _CHANGE.search(text)
    if match:
        verb, after = match.group(1), match.group(2)
        end = _WHAT_END.search(" " + after)
        thing = (after[:end.start() - 1] if end else after).strip()
        if thing:
            return AimPart("what", question, f"{verb} {thing}", "")
        return AimPart("what", question, None,
                       f"What will {verb.lower()}? Name the measure straight after "
                       f"“{verb}”, e.g. “{verb} falls per 1,000 bed days”.")
    if text:
        prompt = ("What will improve, and which way? Start with the change and the measure, "
                  "e.g. “Reduce falls…” or “Increase observations done on time…”.")
    else:
        prompt = ("What will improve? Start with the change and the measure, "
                  "e.g. “Reduce inpatient falls…”.")
    return AimPart("what", question, None, prompt)


def _how_much(text: str, without_dates: str) -> AimPart:
    question = "By how much"
    rest = _PLACE_NUMBER.sub(lambda m: " " * len(m.group()), without_dates)
    match = _first(_AMOUNTS, rest)
    if match:
        answer = text[match.start():match.end()].strip()
        advice = "" if _FROM.search(rest) else (
            "Say where you start from too, e.g. “from 72% to 90%”, so progress can be judged.")
        return AimPart("how_much", question, answer, "", advice)
    vague = _VAGUE.search(text)
    if vague:
        prompt = (f"By how much? “{vague.group().lower()}” on its own is not a figure: give one, "
                  f"e.g. “from 72% to 90%” or “by 30%”.")
    else:
        prompt = "By how much? Give a figure, e.g. “from 7.6 to 4.5 per 1,000 bed days”."
    return AimPart("how_much", question, None, prompt)


def _for_whom(text: str) -> AimPart:
    question = "For whom"
    match = _PLACE.search(text) or _POPULATION.search(text)  # "on Ward 7" says more
    if match:
        return AimPart("for_whom", question, match.group().strip(), "")
    return AimPart("for_whom", question, None,
                   "For whom? Name the patients or the place, e.g. “for patients on Ward 7” "
                   "or “across the elderly care wards”.")
