"""Candidate temporal expressions: the project's regex grammar, plus spaCy DATE/TIME spans.

Each rule is one compiled regex over the body. Extents follow TimeML: a
preposition is never part of an extent ("on Friday" -> "Friday"), determiners
and modifiers are ("the 1990s", "earlier this week", "the past two months").
A rule that needs context it must not swallow (a preposition before "May")
marks the extent with the group `x`. Overlaps are settled longest-first, then
by rule order.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from transforms.temporal import vocab


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    rule: str
    groups: dict[str, str | None]


def _units(*, plural: str = "optional") -> str:
    """Duration units; `plural` is "optional", "only" or "never"."""
    forms = []
    for word in sorted(vocab.words("unit"), key=len, reverse=True):
        many = word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else word + "s"
        if word == "millennium":
            many = "millennia"
        forms += {"optional": [many, word], "only": [many], "never": [word]}[plural]
    return "(?i:" + "|".join(forms) + r")(?![\w-])"


# --- building blocks -------------------------------------------------------------------------------------
WB = r"(?<![\w$£€@#])"  # left word boundary that also keeps "$2020" and "#2020" out
MONTH = vocab.alternation("month", title_case=True)
MONTH_ABBR = vocab.alternation("month_abbr", title_case=True) + r"(?:\.|(?!\w|'(?!s\b)))"
ANY_MONTH = rf"(?:{MONTH}(?!\w|'(?!s\b))|{MONTH_ABBR})"
WEEKDAY_NAME = vocab.alternation("weekday", title_case=True)
WEEKDAY = WEEKDAY_NAME + r"(?!\w|'(?!s\b))"
WEEKDAY_ABBR = vocab.alternation("weekday_abbr", title_case=True) + r"\."
ANY_WEEKDAY = rf"(?:{WEEKDAY}|{WEEKDAY_ABBR})"
DAYNUM = (
    r"(?:(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:/.]\d|\d|%)"
    rf"|{vocab.alternation('day_ordinal')}(?![\w-]))"
)
# A year is not part of a number ("1,999", "555-1234"), a price or a percentage; "1996-2001" is two years.
YEAR = (
    r"(?:(?<=\d{4}[-–])|(?<![\d,.])(?<!\d-))(?:1[0-9]\d\d|20\d\d|21\d\d)"
    r"(?![\w%]|[.,:/]\d|\s*(?i:percent|per\s+cent))"
)
_SMALL = "one|two|three|four|five|six|seven|eight|nine"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUM_WORD = rf"(?i:(?:{_TENS})(?:[\s-](?:{_SMALL}))?|{vocab.alternation('number', bare=True)})"
NUM = rf"(?:(?<![\d,.])\d+(?:\.\d+|,\d{{3}})*(?:\s+1/2)?|{NUM_WORD}(?![\w])(?:\s+and\s+a\s+half)?)"
UNIT = _units()
UNIT_ONE = _units(plural="never")
UNIT_MANY = _units(plural="only")
SEASON = vocab.alternation("season")
POD = r"(?i:morning|afternoon|evening|night)"
TZ = (
    "(?:"
    + "|".join(
        re.escape(v).replace(r"\ ", r"\s+") for v in sorted(vocab.values("timezone"), key=len, reverse=True)
    )
    + r")(?![\w])"
)
APPROX = (
    r"(?i:about|around|approximately|roughly|nearly|almost|some|more\s+than|less\s+than|fewer\s+than|"
    r"at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|well\s+over|just\s+over|just\s+under|"
    r"close\s+to|the\s+better\s+part\s+of)"
)
MOD = r"(?i:early|late|mid|the\s+(?:end|beginning|start|middle|close|turn|rest|remainder)\s+of)"
DAY_REF = (
    rf"(?:{ANY_WEEKDAY}|(?i:today|yesterday|tomorrow|tonight)|{ANY_MONTH}\s+{DAYNUM}(?:,?\s+{YEAR})?"
    rf"|{DAYNUM}\s+{ANY_MONTH}(?:\s+{YEAR})?)"
)
# Four-digit clock times come after "(" or a preposition ("at 0900 GMT"), never after "the year".
_CLOCK_LEAD = (
    "(?:(?<=\\()"
    + "".join(
        rf"|(?<=(?i:{w})\s)"
        for w in ("at", "by", "until", "after", "before", "around", "about", "from", "to")
    )
    + ")"
)
CLOCK = (
    r"(?:(?<![\d:.$])(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*"
    r"(?P<ap>[aApP]\.\s?[mM]\.|[aApP][mM](?![\w])|[aApP]\.[mM](?![\w]))"
    r"|(?<![\d:.$])(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?![\d:])(?:\s*(?i:hrs|hours|h)(?![\w]))?"
    r"|(?P<noon>(?i:noon|midday|midnight))(?![\w])"
    # "0900 GMT": four digits are a clock time only with a time zone after them
    rf"|{_CLOCK_LEAD}(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d)(?=\s*\(?{TZ}))"
)
YEAR_REL = r"(?P<yrel>(?i:this|last|next))\s+(?i:year)(?![\w'-])"  # "1 January next year"
YEAR_AGO = r"(?P<ago>(?i:year-(?:earlier|ago|before)|prior-year))"  # "the year-earlier quarter"
OR_SO = r"(?:\s+(?i:or\s+so)(?![\w]))?"
# "three days later", "an hour earlier": TimeML makes the amount a DURATION and "later" its signal; only
# calendar-scale comparisons ("a year earlier", "a month later") stay dates. Python's lookbehind needs one
# width per assertion, hence one per unit form.
_SHORT_NOT_BEFORE = "".join(
    rf"(?<!(?i:{u})\s)"
    for u in ("day", "days", "week", "weeks", "night", "nights", "hour", "hours", "minute", "minutes")
)  # "a week or so": the hedge belongs to the extent
# "last" the adjective, not the verb: "will last two years", "to last a decade" keep only the amount.
_LAST_ADJ = (
    "".join(
        rf"(?<!(?i:{w})\s)"
        for w in (
            "will",
            "would",
            "could",
            "may",
            "might",
            "can",
            "should",
            "must",
            "to",
            "'ll",
            "n't",
            "not",
        )
    )
    + r"last(?!\s+(?i:an?)\s)"
)
SPELLED_YEAR = (
    rf"(?i:nineteen|twenty)[\s-](?:(?i:{_TENS})(?:[\s-](?i:{_SMALL}))?"
    r"|(?i:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)"
    r"|(?i:oh)[\s-](?i:one|two|three|four|five|six|seven|eight|nine))"
    r"|(?i:the\s+year\s+)?(?i:two\s+thousand)(?:\s+(?i:and\s+)?(?i:one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?"
)
DECADE_WORD = "(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"

# Rates: an amount, its scale words, at most one plural noun ("flights", "CDs"), then "a week".
RATE_COUNT = rf"(?i:{_SMALL}|{_TENS}|ten|eleven|twelve|dozen|hundred|thousand)"
RATE_SCALE = r"(?i:hundred|thousand|million|billion|trillion|percent|dollars|euros|pounds|a\s+share)(?![\w])"
RATE_NOUN = (
    r"(?!(?i:is|was|has|its|this|his|as|plus|less|across|always|thus|does|us|perhaps|unless|whereas|"
    r"hours|days|weeks|months|years)\b)[A-Za-z][\w'-]*s(?![\w'-])"
)
RATE_UNIT = r"(?i:year|month|week|day|night|hour)"

# --- the grammar: (rule name, pattern), most specific first ----------------------------------------------
RULES: list[tuple[str, str]] = [
    (
        "date_mdy",
        rf"{WB}(?:{ANY_WEEKDAY},?\s+)?(?P<month>{ANY_MONTH})\s+(?P<day>{DAYNUM}),?\s+(?P<year>{YEAR})",
    ),
    (
        "date_dmy",
        rf"{WB}(?:{ANY_WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{DAYNUM})\s+(?:of\s+)?(?P<month>{ANY_MONTH}),?"
        rf"\s+(?P<year>{YEAR})",
    ),
    (
        "date_iso",
        r"(?<![\w-])(?P<year>1\d{3}|20\d\d)-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
        r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d:])",
    ),
    ("date_numeric", r"(?<![\w/.-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\w/])"),
    (
        "month_day",
        rf"{WB}(?:{ANY_WEEKDAY},?\s+)?(?P<month>{ANY_MONTH})\s+(?P<day>{DAYNUM})(?![\w]|-(?!\d))"
        rf"(?:,?\s+{YEAR_REL})?",
    ),
    (
        "day_month",
        rf"{WB}(?:{ANY_WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{DAYNUM})\s+(?:of\s+)?(?P<month>{ANY_MONTH})"
        rf"(?:,?\s+{YEAR_REL})?",
    ),
    ("month_year", rf"{WB}(?:{MOD}[\s-]+)?(?P<month>{ANY_MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR})"),
    (
        "time",
        rf"{WB}(?:(?P<pre>{ANY_WEEKDAY}|(?i:today|yesterday|tomorrow|tonight)),?\s+)?"
        rf"(?:(?i:around|about|approximately|shortly\s+(?:after|before))\s+)?{CLOCK}"
        rf"(?:\s*\(?(?P<tz>{TZ})\)?)?(?:,?\s+(?P<sfx>{DAY_REF}))?",
    ),
    (
        "decade",
        rf"{WB}(?:(?i:the)\s+)?(?:(?P<mod>(?i:early|mid|late))[\s-]+)?(?P<dec>1\d\d0|20\d0)'?s(?![\w])",
    ),
    (
        "decade",
        rf"{WB}(?i:the)\s+(?:(?P<mod>(?i:early|mid|late))[\s-]+)?(?:'|’)?(?P<dec2>\d0)'?s(?![\w])"
        rf"|{WB}(?i:the)\s+(?:(?P<mod2>(?i:early|mid|late))[\s-]+)?(?P<decw>{DECADE_WORD})(?![\w])",
    ),
    (
        "century",
        r"(?<![\w])(?:(?i:the)\s+)?(?P<cent>\d{1,2})(?:st|nd|rd|th)\s+(?i:century)(?![\w])",
    ),
    (
        "quarter",
        rf"{WB}(?:(?i:the)\s+)?(?:(?P<rel>(?i:this|last|next|past|current|latest|previous|same))\s+|"
        rf"(?P<year1>{YEAR})(?:'s)?\s+|(?P<yrel>(?i:this|last|next))\s+year's\s+|{YEAR_AGO}\s+)?"
        r"(?:(?i:fiscal)[\s-]+)?"
        rf"(?P<q>(?i:first|second|third|fourth|final|1st|2nd|3rd|4th))[\s-](?i:quarter|qtr\.?)(?![\w])"
        rf"(?:\s+(?i:of)\s+(?:(?i:fiscal)\s+)?(?P<year2>{YEAR}))?",
    ),
    (
        "quarter",
        rf"{WB}(?P<qq>[Qq][1-4])(?:\s+(?P<year3>{YEAR})|[\s/-](?P<yy>'?\d\d)(?![\w]))?(?![\w])"
        rf"|{WB}(?P<year4>{YEAR})\s+(?P<qq2>Q[1-4])(?![\w])",
    ),
    (
        "half",
        rf"{WB}(?:(?i:the)\s+)?(?P<h>(?i:first|second|1st|2nd|last|latter))[\s-](?i:half)\s+(?i:of)\s+"
        rf"(?:(?i:fiscal)\s+)?(?:(?P<year>{YEAR})|(?P<rel>(?i:this|last|next|the))\s+(?i:year))"
        rf"|{WB}(?i:the)\s+(?P<hb>(?i:first|second|1st|2nd|latter))[\s-](?i:half)(?![\w-])(?!\s+(?i:of)\b)",
    ),
    (
        "season",
        rf"{WB}(?:(?P<det>(?i:the|this|that|last|next|this\s+past|this\s+coming|coming|past))\s+)?"
        rf"(?:(?P<mod>(?i:early|late|mid))[\s-]+)?(?P<season>{SEASON})(?![\w])"
        rf"(?:\s+(?:(?i:of)\s+)?(?:(?P<year>{YEAR})|(?P<syear>{SPELLED_YEAR})(?![\w-])))?",
    ),
    # "2008-09", "fiscal 2024/25": a fiscal year or a season across two calendar years
    (
        "split_year",
        rf"{WB}(?:(?i:fiscal|FY)\s*)?(?<![\d,.])(?P<y1>1[0-9]\d\d|20\d\d)[-/–](?P<y2>\d\d)"
        r"(?![\w%]|[.,:/-]\d|\s*(?i:percent|per\s+cent))",
    ),
    ("year", rf"{WB}(?:{MOD}[\s-]+)?(?:(?i:fiscal|FY)\s*)?(?P<year>{YEAR})"),
    ("year_fy", r"(?<![\w])(?:FY|fy)'?(?P<yy>\d\d)(?![\w])"),
    (
        "month_rel",
        rf"{WB}(?:(?P<rel>(?i:last|next|this|this\s+past|this\s+coming|coming|past))\s+)?"
        rf"(?:(?P<mod>{MOD})[\s-]+)?(?P<month>{MONTH})(?!\w|'(?!s\b))"
        r"(?:,?\s+(?:(?i:of)\s+)?(?P<yrel>(?i:this|last|next))\s+(?i:year)(?![\w'-]))?",
    ),
    (
        "deictic_day",
        rf"{WB}(?:(?P<mod>(?i:late|later|early|earlier))\s+)?(?P<dd>{vocab.alternation('deictic_day')})"
        rf"(?!\w|'(?!s\b))(?:\s+(?P<pod>{POD}))?",
    ),
    # "the eighth day of the strike": the day the story is on
    (
        "nth_day",
        rf"{WB}(?:(?i:the)\s+)?(?P<ord>{vocab.alternation('day_ordinal')}|\d{{1,3}}(?:st|nd|rd|th))\s+"
        r"(?:(?i:straight|consecutive|successive|full)\s+)?(?i:day)(?=\s+(?i:of)\s)",
    ),
    ("tonight", rf"{WB}(?P<pod>(?i:tonight|overnight))(?![\w])"),
    (
        "pod_day",
        rf"{WB}(?P<mod>(?i:early|late|mid))[\s-]*(?P<pod>{POD})(?![\w])"
        rf"(?:\s+(?P<day>(?i:yesterday|today|tomorrow)|{ANY_WEEKDAY}))?",
    ),
    (
        "pod_rel",
        rf"{WB}(?:(?P<mod>(?i:early|late|earlier|later))\s+)?(?P<rel>(?i:this|last|that))\s+(?P<pod>{POD})(?![\w])",
    ),
    # "Monday and Tuesday nights": the first weekday shares the plural part of the day
    (
        "set",
        rf"{WB}(?P<wd>{WEEKDAY_NAME})(?=,?\s+(?i:and|or)\s+{WEEKDAY_NAME}\s+"
        r"(?P<pods>(?i:mornings|afternoons|evenings|nights))(?![\w']))",
    ),
    (
        "weekday",
        rf"{WB}(?:(?P<rel>(?i:last|next|this|this\s+past|this\s+coming|coming|past))\s+)?"
        rf"(?:(?P<mod>(?i:early|late|earlier|later))\s+)?(?P<wd>{ANY_WEEKDAY})(?:\s+(?P<pod>{POD}))?",
    ),
    # "the night of June 3", "the morning of Oct. 5": that part of that day
    (
        "pod_of",
        rf"{WB}(?i:the)\s+(?P<pod>{POD})\s+(?i:of)\s+(?P<day>{ANY_MONTH}\s+{DAYNUM}(?:,?\s+{YEAR})?"
        rf"|{DAYNUM}\s+{ANY_MONTH}(?:\s+{YEAR})?|{ANY_WEEKDAY})",
    ),
    # "the week of March 9": the calendar week around a day
    (
        "week_of",
        rf"{WB}(?i:the)\s+(?P<unit>(?i:week|weekend))\s+(?i:of)\s+(?P<day>{ANY_MONTH}\s+{DAYNUM}"
        rf"(?:,?\s+{YEAR})?|{DAYNUM}\s+{ANY_MONTH}(?:\s+{YEAR})?)",
    ),
    (
        "anaphoric",
        rf"{WB}(?P<rel>(?i:the\s+next|the\s+following|the\s+previous|the\s+preceding|the\s+same|that|"
        r"the\s+prior))\s+(?:(?P<unit>(?i:day|week|weekend|month|quarter|year|morning|afternoon|evening|night))"
        r"(?![\w])"
        rf"{OR_SO}|(?P<wd>{WEEKDAY}))",
    ),
    (
        "unit_rel",
        rf"{WB}(?:(?P<mod>(?i:earlier|later|early|late|mid)|{MOD})[\s-]+)?"
        rf"(?P<rel>(?i:this|last|next|current|the\s+current|the\s+past|past|the\s+previous|previous|"
        r"the\s+last|the\s+coming|coming|the\s+latest|the\s+most\s+recent))\s+(?:(?i:fiscal)\s+)?"
        r"(?P<unit>(?i:week|weekend|month|year|quarter|decade|century))(?!\w|'(?!s\b))" + OR_SO,
    ),
    (
        "quarter_ref",
        rf"{WB}(?i:the)\s+(?:(?P<which>(?i:latest|most\s+recent|same|comparable|corresponding|current|fiscal))\s+)?"
        rf"(?:{YEAR_AGO}\s+)?(?P<noun>(?i:quarter|period))(?![\w-])"
        r"(?:\s+(?P<ago2>(?i:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year|(?:of\s+)?the\s+previous\s+year)))?",
    ),
    (
        "quarter_ref",
        r"(?<![\w-])(?P<ago3>(?i:last|a)\s+year(?:'s|’s))\s+(?P<noun>(?i:quarter|period))(?![\w-])",
    ),
    ("quarter_ref", rf"(?<![\w-]){YEAR_AGO}(?![\w-])"),
    # "the year ended March 31": a twelve-month reporting period, named by its end
    (
        "year_ended",
        r"(?<![\w-])(?i:the)\s+(?:(?i:fiscal|financial)\s+)?(?i:year)"
        rf"(?=\s+(?i:ended|ending)\b|\s+(?i:to)\s+(?:(?i:end)[\s-])?{ANY_MONTH})",
    ),
    ("quarter_ref", rf"{WB}(?i:the)\s+(?P<year>{YEAR})\s+(?P<noun>(?i:quarter|period))(?![\w-])"),
    (
        "ago",
        rf"{WB}(?:(?P<approx>{APPROX})\s+)?(?P<n>{NUM})[\s-]+(?P<unit>{UNIT}){OR_SO}\s+"
        rf"(?P<dir>(?i:ago|from\s+now|hence|back)|{_SHORT_NOT_BEFORE}(?i:earlier|later))(?![\w])",
    ),
    ("ago", rf"{WB}(?P<unit>{UNIT_MANY})\s+(?P<dir>(?i:ago)|{_SHORT_NOT_BEFORE}(?i:earlier|later))(?![\w])"),
    (
        "set",
        rf"{WB}(?P<q>(?i:every|each))\s+(?:(?i:other|single|coming)\s+)?(?:(?P<unit>{UNIT_ONE})|"
        rf"(?P<wd>{WEEKDAY})|(?P<month>{MONTH})|(?P<season>{SEASON})(?![\w])|(?P<pod>{POD})(?![\w]))",
    ),
    ("set", rf"{WB}(?P<adv>{vocab.alternation('set_adverb')})(?![\w-])"),
    (
        "set",
        rf"{WB}(?P<freq>(?i:once|twice|thrice)|{NUM}\s+(?i:times|hours|days|nights))\s+(?i:a|an|per|each|every)\s+"
        rf"(?P<unit>{UNIT_ONE})(?!\s+(?i:ago|earlier|later|before|after)(?![\w]))",
    ),
    ("set", rf"{WB}(?P<wds>{WEEKDAY_NAME})s(?!\w|'(?!s\b))"),
    ("set", rf"{WB}(?P<wd>{WEEKDAY_NAME})\s+(?P<pods>(?i:mornings|afternoons|evenings|nights))(?![\w'])"),
    # Rates: "$5 a year", "four flights a week", "50,000 CDs a year", "per day".
    (
        "set",
        rf"(?:(?<=[\d%])|{WB}{RATE_COUNT}(?![\w-]))(?:\s+{RATE_SCALE})*(?:\s+{RATE_NOUN})?\s+"
        rf"(?P<x>(?i:a|an|per)\s+(?P<unit>{RATE_UNIT}))(?![\w-])"
        r"(?!\s+(?i:ago|earlier|later|before|after|or\s+(?:so|two|more)))",
    ),
    ("set", rf"{WB}(?P<x>(?i:per)\s+(?P<unit>{RATE_UNIT}))(?![\w-])"),
    (
        "duration",
        rf"{WB}(?:(?P<approx>{APPROX})\s+)?(?:(?P<rel>(?i:the\s+(?:past|last|next|first|coming|previous|"
        r"following|final|latest|remaining|entire|whole|full|initial|last|same|year-earlier|year-ago|"
        rf"prior-year)|the|past|{_LAST_ADJ}|next|first|"
        r"another|the\s+better\s+part\s+of\s+the\s+(?:past|last)))\s+)?"
        rf"(?P<n>{NUM})(?:\s+(?i:or|to|and)\s+(?P<n2>{NUM}))?[\s-]+"
        r"(?:(?i:more|additional|extra|further|straight|consecutive|trading|business|working)\s+)?"
        rf"(?P<unit>{UNIT})(?P<half>\s+(?i:and\s+a\s+half)(?![\w]))?"
        r"(?:\s+(?P<period>(?i:period|span|stretch|term|time\s+span))(?![\w]))?" + OR_SO,
    ),
    ("duration", rf"(?i:for|over|within|in)\s+(?P<x>(?P<unit>{UNIT_MANY}))(?!\s+(?i:ago|earlier|later))"),
    # A bare count of units before "after"/"before" ("hours after the vote", "Days before the election")
    # and as the object of a verb of lasting ("could take weeks", "lasted months"): TimeML's vague durations.
    ("duration", rf"{WB}(?P<x>(?P<unit>{UNIT_MANY}))(?=\s+(?i:after|before)\s)"),
    (
        "duration",
        r"(?i:take|takes|took|taken|taking|last|lasts|lasted|lasting|spend|spends|spent|spending|wait|"
        rf"waits|waited|waiting)\s+(?P<x>(?P<unit>{UNIT_MANY}))(?![\w-])(?!\s+(?i:ago|earlier|later)\b)",
    ),
    (
        "duration",
        rf"{WB}(?P<unit>{UNIT_MANY})\s+(?i:or|and|to)\s+(?:(?i:even)\s+)?{UNIT_MANY}"
        r"(?!\s+(?i:ago|earlier|later|before|after))",
    ),
    (
        "vague_duration",
        rf"(?<!(?i:once)\s(?i:in)\s){WB}(?P<vague>{vocab.alternation('vague_duration', bare=False)})"
        r"(?![\w-])(?!\s+(?i:ago|earlier|later|before|after|in|next|last|this|that|during|between|soon|now)\b)",
    ),
    (
        "ref_unit",
        rf"{WB}(?P<rel>(?i:recent|past|the\s+past|the\s+coming|coming|future))\s+"
        rf"(?P<unit>{UNIT_MANY})(?:\s+(?i:and|or)\s+{UNIT_MANY})?",
    ),
    ("ref_unit", rf"{WB}(?i:the)\s+(?P<unit>{UNIT_MANY})\s+(?P<rel>(?i:ahead|to\s+come))(?![\w])"),
    (
        "year_end",
        rf"{WB}(?:(?i:the\s+)?(?P<ye>(?i:year[-\s]end|year's\s+end))(?![\w-])(?:\s+(?P<year>{YEAR}))?"
        r"|(?P<part>(?i:the\s+(?:end|beginning|start|middle|close|rest|remainder|balance)\s+of))\s+"
        r"(?P<which>(?i:the|this))\s+(?P<unit>(?i:year|month|week|quarter|decade|century))(?![\w'-])"
        r"|(?P<inthe>(?i:earlier|later))\s+(?i:in)\s+the\s+(?P<unit2>(?i:year|month|week|day))(?![\w'-]))",
    ),
    ("ref", rf"{WB}(?P<ref>{vocab.alternation('ref_word')})(?![\w'-])"),
    # "this crucial moment": the present, whatever the adjective
    (
        "ref",
        r"(?<![\w'])(?P<ref>(?i:this|the\s+present)\s+(?:(?i:very|crucial|critical|difficult|historic|"
        r"decisive|delicate|tense|particular)\s+)?(?i:moment|juncture|point\s+in\s+time))(?![\w'-])",
    ),
    ("ref", r"(?:^|(?<=[.!?\n\"“]\s)|(?<=\n))(?P<ref>Earlier|Later)(?=,)"),
    # "the week", "the year", "the morning": in news these name the narrative's (or the current) unit.
    (
        "unit_phrase",
        rf"(?<!(?i:end)\s(?i:of)\s)(?<!(?i:back)\s(?i:in)\s){WB}(?i:the)\s+"
        r"(?:(?P<which>(?i:full|fiscal|current|entire|whole|same))\s+)?"
        r"(?P<unit>(?i:year|month|week|weekend|day|morning|afternoon|evening|night))(?!\w|'(?!s\b)|-|\s+\d)",
    ),
    (
        "spelled_year",
        rf"{WB}(?:(?P<month>{MONTH})\s+)?(?P<sy>{SPELLED_YEAR})(?![\w-])",
    ),
]


# --- gates: a word every match of a rule contains --------------------------------------------------------
# Python's re tries a pattern at every word start, which costs more than the NER model allows. The body is
# split into words once; each distinct word is tested against the gates once (cached), and a rule then
# runs only within _REACH of its gate words.
_MONTH_GATE = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_UNIT_GATE = r"sec|min|hour|hr|day|night|week|fortnight|month|quarter|year|yr|decade|centur|millenni"
_POD_GATE = r"morning|afternoon|evening|night"
GATES: dict[str, str] = {
    "date_mdy": _MONTH_GATE,
    "date_dmy": _MONTH_GATE,
    "date_iso": r"\d",
    "date_numeric": r"\d",
    "month_day": _MONTH_GATE,
    "day_month": _MONTH_GATE,
    "month_year": _MONTH_GATE,
    "time": r"\d|noon|midday|midnight",
    "decade": r"0s$|0['’]s$|ties$",
    "century": r"century",
    "quarter": r"quarter|qtr|q[1-4]",
    "half": r"half",
    "season": r"spring|summer|fall|autumn|winter",
    "year": r"\d",
    "split_year": r"\d",
    "year_fy": r"fy",
    "month_rel": _MONTH_GATE,
    "deictic_day": r"today|yesterday|tomorrow",
    "tonight": r"tonight|overnight",
    "week_of": r"^week",
    "pod_of": _POD_GATE,
    "nth_day": r"^day$",
    "pod_day": _POD_GATE,
    "pod_rel": _POD_GATE,
    "weekday": r"mon|tue|wed|thu|fri|sat|sun",
    "anaphoric": r"next|following|previous|preceding|same|that|prior",
    "unit_rel": r"week|month|year|quarter|decade|century",
    "quarter_ref": r"quarter|period|earlier|ago|before|prior",
    "year_ended": r"^year$",
    "ago": r"ago|earlier|later|now|hence|back",
    "duration": _UNIT_GATE,
    "vague_duration": r"time|while|period",
    "ref_unit": _UNIT_GATE,
    "year_end": r"end|beginning|start|middle|close|rest|remainder|balance|earlier|later",
    "spelled_year": r"nineteen|twenty|thousand",
    "unit_phrase": r"year|month|week|day|morning|afternoon|evening|night",
    # The adverbs by name: "ly$" opened a window at every adverb of the text.
    "set": rf"every|each|^(?:{'|'.join(vocab.words('set_adverb'))})$|^once$|^twice$|^thrice$|times|days$|year"
    r"|month|week|day|night|hour",
    "ref": r"now|current|present|moment|juncture|^point$|recent|late|past|once|old|future|soon|short|possible|term|earlier",
}


_WORD = re.compile(r"\w+(?:['’]\w+)*")


@lru_cache(maxsize=1)
def compiled_rules() -> list[tuple[int, str, re.Pattern[str], bool]]:
    return [(i, name, re.compile(pattern), name in GATES) for i, (name, pattern) in enumerate(RULES)]


@lru_cache(maxsize=1)
def _compiled_gates() -> list[tuple[str, re.Pattern[str]]]:
    return [(name, re.compile(gate)) for name, gate in GATES.items()]


@lru_cache(maxsize=1 << 16)
def _gates_of(word: str) -> tuple[str, ...]:
    """The rules a (lower-cased) word opens."""
    return tuple(name for name, gate in _compiled_gates() if gate.search(word))


_REACH = 100  # characters a match may extend on either side of its gate word


def find_candidates(body: str) -> list[Candidate]:
    """Non-overlapping grammar matches in `body`, in text order."""
    found: dict[tuple[int, int, int], tuple[int, int, int, str, dict[str, str | None]]] = {}
    windows = _windows(body)
    everywhere = [(0, len(body))]
    for priority, name, pattern, gated in compiled_rules():
        spans = windows.get(name, []) if gated else everywhere
        for left, right in spans:
            for m in pattern.finditer(body, left, right):
                start, end = m.span("x") if "x" in pattern.groupindex else m.span()
                start, end = _trim(body, start, end)
                start = _adjectival(body, start, end)
                if end > start:
                    found[(start, end, priority)] = (start, end, priority, name, m.groupdict())
    return _settle(list(found.values()))


def _windows(body: str) -> dict[str, list[tuple[int, int]]]:
    """Per gated rule, the merged stretches of `body` within _REACH of its gate words."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    size = len(body)
    for m in _WORD.finditer(body):
        names = _gates_of(m[0].lower())
        if not names:
            continue
        left, right = max(0, m.start() - _REACH), min(size, m.end() + _REACH)
        for name in names:
            spans = out[name]
            if spans and left <= spans[-1][1]:
                spans[-1] = (spans[-1][0], right)
            else:
                spans.append((left, right))
    return out


_ADJECTIVAL = re.compile(r"(?i:the)\s+(?=(?:\S+\s+)?\S+-\S+$)")
_NOUN_AFTER = re.compile(r"\s+[a-z]")


def _adjectival(body: str, start: int, end: int) -> int:
    """ "the 23-year marriage", "the third-quarter results": the article belongs to the noun, not the timex."""
    m = _ADJECTIVAL.match(body, start, end)
    if m and _NOUN_AFTER.match(body, end):
        return m.end()
    return start


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace, a trailing comma and an unopened ")" a pattern may have taken at an edge."""
    while start < end and body[start] in " \t\r\n,":
        start += 1
    while end > start and body[end - 1] in " \t\r\n,":
        end -= 1
    if end > start and body[end - 1] == ")" and "(" not in body[start:end]:
        end -= 1  # "(0000 GMT)": the parenthesis closes around the expression, not inside it
    return start, end


def _settle(found: list[tuple[int, int, int, str, dict]]) -> list[Candidate]:
    """Longest match first, then rule order; keep what does not overlap a kept one."""
    found.sort(key=lambda f: (f[0] - f[1], f[2], f[0]))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Candidate] = []
    for start, end, _, name, groups in found:
        i = bisect.bisect_right(starts, start)
        if i > 0 and ends[i - 1] > start:
            continue
        if i < len(starts) and starts[i] < end:
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept.insert(i, Candidate(start, end, name, groups))
    return kept


def add_span_candidates(
    body: str, kept: list[Candidate], spans: list[tuple[int, int, str]]
) -> list[Candidate]:
    """spaCy DATE/TIME spans the grammar missed, as `span` candidates (trimmed of prepositions)."""
    out = list(kept)
    starts = [c.start for c in kept]
    ends = [c.end for c in kept]
    for start, end, label in spans:
        start, end = _strip_span(body, start, end)
        if end <= start:
            continue
        i = bisect.bisect_right(starts, start)
        if (i > 0 and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        out.insert(i, Candidate(start, end, "span", {"label": label}))
    return out


_LEADING = re.compile(
    r"^(?i:(?:on|in|at|by|since|until|till|from|to|during|for|of|before|after|about|around)\s+)+"
)


def _strip_span(body: str, start: int, end: int) -> tuple[int, int]:
    start = max(0, min(start, len(body)))
    end = max(start, min(end, len(body)))
    m = _LEADING.match(body, start, end)
    if m:
        start = m.end()
    return _trim(body, start, end)
