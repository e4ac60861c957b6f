"""Resolution inside one article: reference names, acronyms, demonyms, institutions and short forms.

Each mention first gets a canonical name of its own (title-stripped name, country from the reference
tables, normalised institution); then mentions that only make sense against the rest of the article
take the canonical name of what they refer to: "Zhirnov" -> "Dmitry Zhirnov", "IEA" -> "Islamic Emirate
of Afghanistan", an unqualified "Foreign Ministry" -> the one qualified ministry of the article.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from transforms.entities.descriptions import (
    NOMINAL_LABEL,
    find_appositions,
    find_descriptions,
    find_role_nouns,
)
from transforms.entities.gazetteer import locate, us_state
from transforms.entities.names import (
    name_key,
    normalise_institution,
    split_nickname,
    strip_titles,
    surname,
    tokens,
)
from transforms.entities.pronouns import PRONOUN_LABEL, PRONOUN_PATTERN, resolve_pronouns
from transforms.entities.reference import (
    country_name,
    eponym_heads,
    fold,
    gazetteer_pattern,
    is_country,
    locative_cues,
    lookup_demonym,
    lookup_place,
)
from transforms.entities.spans import casing, is_common_word, is_headline, trim
from transforms.entities.speakers import FIRST_PERSON, quotations

PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC", "ORG"})
# Labels the model gives to a surname it does not recognise ("Muttaqi" tagged NORP).
SHORT_FORM_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE", "PRODUCT", "WORK_OF_ART"})
_ACRONYM_AFTER = re.compile(r"^\s*\(\s*([A-Z][A-Za-z&.]{1,11}?)\s*\)")
_POSSESSIVE_GAP = re.compile(r"^['’]s?\s+$")
_SENTENCE_END = re.compile(r"[.!?]['\"”’)]*\s|\n")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\b")


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str
    sentence_index: int
    canonical: str = ""
    type: str = ""
    country_code: str | None = None
    resolved: bool = False  # canonical comes from reference data or the article, not the surface

    def assign(self, canonical: str, type_: str, country_code: str | None) -> None:
        self.canonical, self.type, self.country_code, self.resolved = canonical, type_, country_code, True

    def reading(self) -> tuple[str, str, str | None]:
        return self.canonical, self.type, self.country_code


def resolve_article(body: str, mentions: list[Mention]) -> list[Mention]:
    """Give every mention of one article its canonical name, type and country."""
    mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    mentions = _add_missing(body, mentions)
    for index, mention in enumerate(mentions):
        _own_reading(body, mentions, index, mention)
    _locate_places(mentions)
    _retype_headline_people(body, mentions)
    _resolve_acronyms(body, mentions)
    _resolve_short_forms(mentions)
    _resolve_partial_names(mentions)
    _resolve_unqualified_institutions(mentions)
    _read_locatives(body, mentions)
    return _add_role_nouns(body, _add_descriptions(body, _add_pronouns(body, mentions)))


class _Taken:
    """The characters of a body that mentions cover: an added mention may not overlap one."""

    def __init__(self, body: str, mentions: list[Mention]) -> None:
        self._covered = bytearray(len(body))
        for m in mentions:
            self._covered[m.start : m.end] = b"\x01" * (m.end - m.start)

    def claim(self, start: int, end: int) -> bool:
        """Cover [start, end) unless any of it is covered already; True when it was free."""
        if any(self._covered[start:end]):
            return False
        self._covered[start:end] = b"\x01" * (end - start)
        return True


# Mentions that name nothing themselves: they take the entity of the name they refer back to.
REFERRING_LABELS = frozenset({PRONOUN_LABEL, NOMINAL_LABEL})


def _add_descriptions(body: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions for definite descriptions of an entity the article named (`descriptions`)."""
    names = [m for m in mentions if m.label not in REFERRING_LABELS]
    taken = _Taken(body, mentions)
    added = []
    by_span = {(m.start, m.end): m for m in mentions}
    for start, end, named in find_descriptions(body, names):
        demonym = by_span.get((start, end))
        if demonym is not None and demonym.label in {"NORP", "GPE"}:
            # "the American" read as the country's adjective: it is the person described.
            demonym.label = NOMINAL_LABEL
            demonym.assign(named.canonical, named.type, named.country_code)
            continue
        if taken.claim(start, end):
            added.append(_referring(body, start, end, named))
    return _with_added(body, mentions, added)


def _referring(body: str, start: int, end: int, named: Mention, label: str = NOMINAL_LABEL) -> Mention:
    """A referring mention (NOMINAL, PRON) over body[start:end] standing for the entity of `named`."""
    mention = Mention(start, end, body[start:end], label, -1)
    mention.assign(named.canonical, named.type, named.country_code)
    return mention


def _with_added(body: str, mentions: list[Mention], added: list[Mention]) -> list[Mention]:
    """`mentions` and `added` in text order, the added ones given their sentence."""
    if not added:
        return mentions
    every = sorted([*mentions, *added], key=lambda m: (m.start, m.end))
    _fill_sentence_indexes(body, every)
    return every


def _written_sentences(body: str) -> Callable[[int], int]:
    """Offset -> number of its written sentence. Reach is counted in written sentences: the model's
    indexes are missing after the last name."""
    ends = [match.end() for match in _SENTENCE_END.finditer(body)]
    return lambda offset: bisect.bisect_right(ends, offset)


def _add_role_nouns(body: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions for the role nouns said of a named person: in apposition or as a predicate right after
    the name ("Alfredo Perez, a spokesman for ...", "Thompson, who was the mandatory challenger"), and
    "the <role noun>" of one gender ("the actress", "the troubled starlet") standing, as a pronoun
    would, for the one person of that gender in reach (`pronouns.resolve_pronouns`). A role of either
    gender ("the champion") stays unresolved: with no gender to agree, the one person in reach was
    too often somebody else."""
    taken = _Taken(body, mentions)
    people = [m for m in mentions if m.type == "PERSON" and m.label not in REFERRING_LABELS]
    added = [
        _referring(body, start, end, person)
        for start, end, person in find_appositions(body, people)
        if taken.claim(start, end)
    ]
    genders = {(start, end): gender for start, end, gender in find_role_nouns(body) if gender}
    candidates = [(start, end) for start, end in genders if taken.claim(start, end)]
    antecedents = resolve_pronouns(
        body,
        [Mention(start, end, body[start:end], NOMINAL_LABEL, -1) for start, end in candidates],
        people,
        _written_sentences(body),
        lambda nominal: genders[(nominal.start, nominal.end)],
    )
    added += [
        _referring(body, start, end, antecedents[start]) for start, end in candidates if start in antecedents
    ]
    return _with_added(body, mentions, added)


def _add_pronouns(body: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions for the personal pronouns that stand for a person the article names (`pronouns`),
    and for "I", "me", "my" inside a quotation attributed to a named person (`speakers`)."""
    taken = _Taken(body, mentions)
    people = [m for m in mentions if m.type == "PERSON"]
    quoted = quotations(body, people)
    added = [
        _referring(body, match.start(), match.end(), speaker, PRONOUN_LABEL)
        for start, end, speaker in quoted
        for match in FIRST_PERSON.finditer(body, start, end)
        if taken.claim(match.start(), match.end())
    ]
    candidates = [
        Mention(match.start(), match.end(), match.group(), PRONOUN_LABEL, -1)
        for match in PRONOUN_PATTERN.finditer(body)
        if taken.claim(match.start(), match.end())
    ]
    starts = [start for start, _, _ in quoted]

    def speaker(pronoun: Mention) -> str | None:
        i = bisect.bisect_right(starts, pronoun.start) - 1
        inside = i >= 0 and pronoun.end <= quoted[i][1]
        return quoted[i][2].canonical if inside else None

    antecedents = resolve_pronouns(body, candidates, people, _written_sentences(body), not_for=speaker)
    added += [
        _referring(body, p.start, p.end, antecedents[p.start], PRONOUN_LABEL)
        for p in candidates
        if p.start in antecedents
    ]
    return _with_added(body, mentions, added)


HEADLINE_MISREAD_TYPES = frozenset({"WORK_OF_ART", "PRODUCT", "ORG", "NORP", "EVENT", "FAC"})


def _retype_headline_people(body: str, mentions: list[Mention]) -> None:
    """In a title-case headline the model reads names as titles of works ("Lindsay Lohan Checks Into
    Rehab"): a headline name holding the words of a person the running text names is that person."""
    people = [tokens(m.canonical) for m in mentions if m.type == "PERSON" and not is_headline(body, m.start)]
    for m in mentions:
        if m.resolved or m.type not in HEADLINE_MISREAD_TYPES or not is_headline(body, m.start):
            continue
        words = tokens(m.canonical)
        if len(words) >= 2 and any(p and _contains(words, p) for p in people):
            m.canonical, m.type = strip_titles(m.canonical), "PERSON"


def _locate_places(mentions: list[Mention]) -> None:
    """Cities and US states get their country (GeoNames, `gazetteer`); a city name several cities
    share goes to the one in a country the article names."""
    named_countries = frozenset(
        m.country_code for m in mentions if m.type == "GPE" and is_country(m.canonical, m.country_code)
    )
    for m in mentions:
        if m.resolved or m.label not in {"GPE", "LOC"} or m.type not in {"GPE", "LOC"}:
            continue
        if us_state(m.canonical):
            m.assign(m.canonical, "GPE", "USA")
        elif city := locate(m.canonical, named_countries):
            m.assign(m.canonical, "GPE", city.country_code)


def _read_locatives(body: str, mentions: list[Mention]) -> None:
    """A person-labelled name used as a place ("checked into Morningside") is a facility there."""
    cues = locative_cues()
    for m in mentions:
        if m.type != "PERSON" or m.canonical != " ".join(m.text.split()):
            continue
        before = _WORD_BEFORE.search(body, max(0, m.start - 20), m.start)
        if (
            before
            and before.group(1).lower() in cues
            and not _POSSESSIVE_AFTER.match(body[m.end : m.end + 3])
        ):
            m.type = "FAC"
    # One name, one reading in an article: once a place is checked into, "in Betty Ford" is it too.
    facilities = {m.canonical for m in mentions if m.type == "FAC" and m.label == "PERSON"}
    for m in mentions:
        if m.type == "PERSON" and m.canonical in facilities:
            m.type = "FAC"


def _own_reading(body: str, mentions: list[Mention], index: int, m: Mention) -> None:
    """Canonical name from the mention alone (plus an adjacent possessive country for institutions)."""
    m.canonical, m.type = " ".join(m.text.split()), m.label
    if m.label in PLACE_LABELS:
        place = lookup_place(m.text)
        if place:
            m.assign(place.canonical, place.type, place.country_code)
            return
    if m.label in {"NORP", "GPE"}:
        demonym = lookup_demonym(m.text)
        if demonym and not demonym.plural:
            # The adjective stands for its country ("Russian capital", "the Afghan ambassador").
            m.assign(country_name(demonym.country_code) or m.text, "GPE", demonym.country_code)
            return
        if demonym:
            m.assign(m.canonical, "NORP", demonym.country_code)
            return
    if m.label in {"ORG", "GPE", "FAC"}:
        institution = normalise_institution(m.text, _possessive_country_before(body, mentions, index))
        if institution:
            m.canonical, m.type, m.country_code = institution.canonical, "ORG", institution.country_code
            m.resolved = institution.country_code is not None
            return
    without_nickname, nickname = split_nickname(m.canonical)
    if nickname:  # 'Luis Gerardo "Jerry" Ortiz', 'Kimani (Kiki) Gray': a person, whatever the label
        m.canonical, m.type = strip_titles(without_nickname), "PERSON"
    elif m.label == "PERSON":
        m.canonical = strip_titles(m.canonical)


def _possessive_country_before(body: str, mentions: list[Mention], index: int) -> str | None:
    """Country of a span like "Afghanistan’s " directly before mention `index`."""
    if index == 0:
        return None
    previous, current = mentions[index - 1], mentions[index]
    if not _POSSESSIVE_GAP.match(body[previous.end : current.start]):
        return None
    place = lookup_place(previous.text)
    return place.country_code if place else None


def _add_missing(body: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions the model missed: acronyms defined after a span and unambiguous country forms."""
    taken = _Taken(body, mentions)
    added: list[Mention] = []
    for m in mentions:
        match = _ACRONYM_AFTER.match(body[m.end : m.end + 20])
        if match and _is_acronym_of(match.group(1), m.text):
            start, acronym = m.end + match.start(1), match.group(1)
            added.append(Mention(start, start + len(acronym), acronym, m.label, m.sentence_index))
            # Later uses of a defined acronym are mentions too, tagged or not.
            for use in re.finditer(rf"(?<![\w.]){re.escape(acronym)}(?!\w)", body):
                added.append(Mention(use.start(), use.end(), acronym, m.label, -1))
    for match in gazetteer_pattern().finditer(body):
        start, end = trim(body, match.start(), match.end())
        if end > start and not _is_shouting(body, start):
            added.append(Mention(start, end, body[start:end], "GPE", -1))
    added.extend(_repeated_names(body, mentions))
    result = list(mentions)
    for new in added:
        if taken.claim(new.start, new.end):
            result.append(new)
    result.sort(key=lambda m: (m.start, m.end))
    _fill_sentence_indexes(body, result)
    return result


REPEATABLE_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART"}
)


def _repeated_names(body: str, mentions: list[Mention]) -> list[Mention]:
    """Other uses of a name the article's tagged mentions give, wherever the model missed them: the
    name itself and a person's surname ("Comeaux" after "Arcade Joseph Comeaux Jr"), written with the
    same capitals, none of whose words the article otherwise writes as a common word."""
    case = casing(body)
    forms: dict[str, str] = {}
    for m in mentions:
        if m.label not in REPEATABLE_LABELS:
            continue
        words = m.text.split()
        candidates = [" ".join(words)]
        if m.label == "PERSON" and len(words) >= 2:
            kept = surname([w.lower() for w in words])
            candidates += [w for w in words if w.lower() == kept][-1:]
        for form in candidates:
            letters = [c for c in form if c.isalpha()]
            if (
                len(letters) >= 3
                and form[:1].isupper()
                and not any(is_common_word(w, case) for w in form.split())
            ):
                forms.setdefault(form, m.label)
    return [
        Mention(start, start + len(form), form, label, -1)
        for form, label in sorted(forms.items(), key=lambda kv: -len(kv[0]))  # longest first wins overlaps
        for start in _occurrences(body, form)
    ]


def _occurrences(body: str, form: str) -> list[int]:
    """Starts of `form` in `body` as a whole word (no letter, digit, apostrophe or hyphen glued on;
    a possessive after it is fine). Plain `str.find`: a regex per article and name costs more."""
    starts = []
    position = body.find(form)
    while position >= 0:
        before = body[position - 1] if position else " "
        after = body[position + len(form) : position + len(form) + 1] or " "
        if not (before.isalnum() or before in "_'’.-") and not (after.isalnum() or after in "_-"):
            starts.append(position)
        position = body.find(form, position + 1)
    return starts


def _is_shouting(body: str, position: int) -> bool:
    """True inside an all-capitals line, where "US" may be the pronoun."""
    line_start = body.rfind("\n", 0, position) + 1
    line_end = body.find("\n", position)
    letters = [c for c in body[line_start : line_end if line_end >= 0 else len(body)] if c.isalpha()]
    return len(letters) > 6 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _fill_sentence_indexes(body: str, mentions: list[Mention]) -> None:
    """Sentence of an added mention: its neighbours' sentence, advanced past a sentence end between."""
    known = [(m.start, m.end, m.sentence_index) for m in mentions if m.sentence_index >= 0]
    starts = [k[0] for k in known]
    for m in mentions:
        if m.sentence_index >= 0:
            continue
        i = bisect.bisect_left(starts, m.start)
        before = known[i - 1] if i > 0 else None
        after = known[i] if i < len(known) else None
        if before is None:
            m.sentence_index = after[2] if after and not _SENTENCE_END.search(body, 0, m.start) else 0
            continue
        ended = bool(_SENTENCE_END.search(body[before[1] : m.start]))
        if after is not None and (after[2] == before[2] or not ended):
            m.sentence_index = before[2]
        elif after is not None:
            m.sentence_index = after[2]
        else:
            m.sentence_index = before[2] + int(ended)


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[^\W\d_]+", name)).upper()


def _is_acronym_of(acronym: str, name: str) -> bool:
    """ "IEA" of "Islamic Emirate of Afghanistan": its letters, in order, among the words' initials."""
    letters = [c for c in acronym if c.isupper()]
    initials = _initials(name)
    if len(letters) < 2 or not initials or letters[0] != initials[0]:
        return False
    position = 0
    for letter in letters:
        position = initials.find(letter, position) + 1
        if position == 0:
            return False
    return True


def _resolve_acronyms(body: str, mentions: list[Mention]) -> None:
    """Acronyms defined in the text, or the initials of one longer name of the article, take its name."""
    definitions: dict[str, Mention] = {}
    for long, short in itertools.pairwise(mentions):
        gap = body[long.end : short.start]
        if gap.strip() == "(" and _is_acronym_of(short.text, long.text):
            definitions.setdefault(short.text, long)
    for m in mentions:
        if m.resolved or not re.fullmatch(r"[A-Z][A-Z&.]{1,7}", m.text):
            continue
        source = definitions.get(m.text)
        if source is None:
            letters = m.text.replace(".", "")
            candidates = {
                o.reading()
                for o in mentions
                if o is not m and len(o.canonical.split()) >= 2 and _initials(o.canonical) == letters
            }
            if len(candidates) == 1:
                m.assign(*next(iter(candidates)))
            continue
        m.assign(*source.reading())


def _resolve_short_forms(mentions: list[Mention]) -> None:
    """A name that is part of exactly one longer person name of the article takes that name."""
    people = {m.canonical for m in mentions if m.type == "PERSON" and len(m.canonical.split()) >= 2}
    # The names holding each token: a short form is compared only with names sharing its first token.
    by_token: dict[str, list[tuple[str, list[str]]]] = {}
    for name in people:
        toks = tokens(name)
        for token in set(toks):
            by_token.setdefault(token, []).append((name, toks))
    readings: dict[tuple[str, ...], str | None] = {}  # an article repeats its short forms
    for m in mentions:
        if m.resolved or m.type not in SHORT_FORM_LABELS or lookup_demonym(m.text):
            continue
        short = tokens(strip_titles(m.canonical)) if m.type != "PERSON" else tokens(m.canonical)
        if not short or (m.type != "PERSON" and len(short) > 1):
            continue
        key = tuple(short)
        if key not in readings:
            readings[key] = _single_reading(
                [
                    name
                    for name, toks in by_token.get(short[0], ())
                    if len(toks) > len(short) and _contains(toks, short)
                ]
            )
        best = readings[key]
        if best:
            m.canonical, m.type, m.resolved = best, "PERSON", True


def _resolve_partial_names(mentions: list[Mention]) -> None:
    """Organisations, places and works named by the start or end of a longer name of the article
    ("Academy" -> "Academy of Motion Picture Arts and Sciences", "Red Sox" -> "Boston Red Sox").

    A place name never becomes part of an organisation's ("Boston" is not "Boston Red Sox"), nor a name
    part of a prize named after it ("Academy" is not "Academy Awards").
    """
    eponyms = eponym_heads()
    # In text order (not a set's, which varies between processes): a name read with two types
    # takes the type of its first mention.
    names = dict.fromkeys(
        (m.canonical, m.type) for m in mentions if m.type != "PERSON" and len(m.canonical.split()) >= 2
    )
    keyed = [(name, etype, tokens(name)) for name, etype in names]
    for m in mentions:
        if m.resolved or m.type == "PERSON":
            continue
        short = tokens(m.canonical)
        candidates = [
            (name, etype)
            for name, etype, toks in keyed
            if len(toks) > len(short)
            and (toks[: len(short)] == short or toks[-len(short) :] == short)
            and (m.label not in {"GPE", "LOC"} or etype in {"GPE", "LOC", "FAC"})
            and not (toks[-1] in eponyms and toks[: len(short)] == short)
        ]
        best = _single_reading([name for name, _ in candidates])
        if best:
            etype = next(t for n, t in candidates if n == best)
            m.canonical, m.type, m.resolved = best, etype, True


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _single_reading(candidates: list[str]) -> str | None:
    """The longest candidate when all candidates are forms of one name; None when they conflict."""
    if not candidates:
        return None
    longest = max(candidates, key=lambda c: (len(c), c))
    longest_tokens = tokens(longest)
    if all(_contains(longest_tokens, tokens(c)) for c in candidates):
        return longest
    return None


def _resolve_unqualified_institutions(mentions: list[Mention]) -> None:
    """ "the Foreign Ministry" alone means the one qualified ministry of that kind in the article."""
    qualified: dict[str, set[tuple[str, str | None]]] = {}
    for m in mentions:
        if m.type == "ORG" and m.country_code and m.canonical.endswith(")"):
            base = m.canonical.rsplit(" (", 1)[0]
            qualified.setdefault(base, set()).add((m.canonical, m.country_code))
    for m in mentions:
        if m.type == "ORG" and not m.country_code and len(qualified.get(m.canonical, ())) == 1:
            m.canonical, m.country_code = next(iter(qualified[m.canonical]))
            m.resolved = True


def canonical_key(name: str) -> str:
    return name_key(fold(name))
