"""Quotations and their speakers.

Direct quotations (curly, straight and angle quotes; multi-sentence; split around the
speech verb: “…,” he said, “…”), label quotes ("X called it a “historic step”") and
reported speech ("X said in a statement that …"). The speaker is the entity next to the
cue; pronouns and phrases such as "the ministry" are resolved to the nearest fitting
entity named before. The cue verbs and the referring phrases are data
(`data/speech_verbs.tsv`, `data/speaker_nominals.tsv`).

No library covers quote attribution on top of our own spaCy pass (textacy's and
spaCy's recipes need the dependency parser, which the pipeline excludes for speed),
hence the small rule set here.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

QUOTE_COLUMNS = ["article_id", "start", "end", "text", "speaker_entity_id", "speaker_text", "cue"]
DATA_DIR = Path(__file__).parent / "data"
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC"})
MIN_UNATTRIBUTED_WORDS = 5  # a shorter quote without speaker and cue is a scare quote or a title
_CUE_WINDOW_WORDS = 6  # words allowed between a cue and the quotation it introduces
_BACK_REFERENCE_CHARS = 2000  # how far back a pronoun or "the ministry" may point

# Quote pairs. Straight quotes pair up in order of appearance; a quote never crosses a paragraph.
_QUOTE_RE = re.compile(r"“([^“”\n]{1,3000}?)”|\"([^\"\n]{1,3000}?)\"|«([^«»\n]{1,3000}?)»")
# Words that may sit between a speaker and its verb ("X also said", "X has said").
_GAP_RE = re.compile(
    r"[\s,]*(?:(?:also|has|have|had|later|then|again|previously|already|once|publicly|"
    r"repeatedly|reportedly|quickly|earlier|separately|further|would|will)\s+)*",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"\w+(?:[’']\w+)*")
_SENTENCE_END_RE = re.compile(r"[.!?]\s")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None
    name: str  # canonical name where known, else the surface text


@dataclass(frozen=True)
class Nominal:
    phrase: str
    labels: tuple[str, ...]
    keyword: str | None


@lru_cache(maxsize=1)
def speech_verbs() -> dict[str, tuple[str, str]]:
    """form -> (lemma, frame) from the versioned cue table."""
    rows = _read_table(DATA_DIR / "speech_verbs.tsv")
    return {form.lower(): (lemma, frame) for form, lemma, frame in rows}


@lru_cache(maxsize=1)
def speaker_nominals() -> dict[str, Nominal]:
    rows = _read_table(DATA_DIR / "speaker_nominals.tsv")
    table = {}
    for row in rows:
        phrase, labels = row[0].lower(), tuple(row[1].split(","))
        keyword = row[2].strip().lower() if len(row) > 2 and row[2].strip() else None
        table[phrase] = Nominal(phrase, labels, keyword)
    return table


def _read_table(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _cue_regexes() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    forms = sorted(speech_verbs(), key=len, reverse=True)
    verbs = "|".join(re.escape(f) for f in forms)
    nominals = "|".join(re.escape(p) for p in sorted(speaker_nominals(), key=len, reverse=True))
    cue = re.compile(rf"\b(?:{verbs})\b", re.IGNORECASE)
    # After a quotation: “…,” the ministry noted / “…,” said Zhirnov / “…,” he added.
    post = re.compile(
        rf"[\s,—–-]*(?:(?P<cue1>{verbs})\s+(?P<spk1>[^,.;:!?\n“”\"]{{1,80}})"
        rf"|(?P<spk2>[^,.;:!?\n“”\"]{{1,80}}?)\s+{_GAP_RE.pattern}(?P<cue2>{verbs}))\b",
        re.IGNORECASE,
    )
    # A pronoun or referring phrase right before a cue: "… he said", "the ministry noted".
    nominal = re.compile(rf"\b(?P<phrase>{nominals})\s*$", re.IGNORECASE)
    return cue, post, nominal


_REPORTED_RE_CACHE: list[re.Pattern] = []


def _reported_re() -> re.Pattern:
    """Reported speech: `X said (in a statement) that <clause>` to the end of the sentence."""
    if not _REPORTED_RE_CACHE:
        says = [f for f, (_, frame) in speech_verbs().items() if frame == "say"]
        verbs = "|".join(re.escape(f) for f in sorted(says, key=len, reverse=True))
        _REPORTED_RE_CACHE.append(
            re.compile(
                rf"\b(?P<cue>{verbs})\b(?P<mid>[^.;:!?\"“”]{{0,60}}?)\s+that\s+"
                rf"(?P<clause>[^\"“”\n]{{12,}}?)\s*[.!?]?\s*$",
                re.IGNORECASE,
            )
        )
    return _REPORTED_RE_CACHE[0]


def extract_quotes(articles: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Quotations with speaker and cue; offsets are exact (`body[start:end] == text`).

    articles: article_id, body; mentions: article_id, start, end, text, label (+ entity_id,
    canonical_name where linked); sentences: article_id, sentence_index, start, end.
    """
    mentions_by = _mentions_by_article(mentions)
    sentence_starts = _sentence_starts_by_article(sentences)
    rows: list[tuple] = []
    for article_id, body in zip(articles["article_id"].tolist(), articles["body"].tolist(), strict=True):
        if not isinstance(body, str) or not body:
            continue
        starts = sentence_starts.get(article_id) or _fallback_sentence_starts(body)
        rows.extend(_article_quotes(article_id, body, mentions_by.get(article_id, []), starts))
    frame = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    frame = frame.drop_duplicates(["article_id", "start", "end"]).reset_index(drop=True)
    return frame.astype({"start": "int64", "end": "int64"})


def _mentions_by_article(mentions: pd.DataFrame) -> dict[str, list[Mention]]:
    if mentions is None or mentions.empty:
        return {}
    frame = mentions.sort_values(["article_id", "start"])
    entity_ids = frame["entity_id"] if "entity_id" in frame else pd.Series(None, index=frame.index)
    names = frame["canonical_name"] if "canonical_name" in frame else frame["text"]
    out: dict[str, list[Mention]] = {}
    for aid, start, end, text, label, eid, name in zip(
        frame["article_id"],
        frame["start"],
        frame["end"],
        frame["text"],
        frame["label"],
        entity_ids,
        names,
        strict=True,
    ):
        eid = eid if isinstance(eid, str) and eid else None
        name = name if isinstance(name, str) and name else text
        out.setdefault(aid, []).append(Mention(int(start), int(end), text, label, eid, name))
    return out


def _sentence_starts_by_article(sentences: pd.DataFrame) -> dict[str, list[int]]:
    if sentences is None or sentences.empty:
        return {}
    frame = sentences.sort_values(["article_id", "start"])
    return {aid: group.tolist() for aid, group in frame.groupby("article_id", sort=False)["start"]}


def _fallback_sentence_starts(body: str) -> list[int]:
    return [0] + [m.end() for m in _SENTENCE_END_RE.finditer(body)]


def _article_quotes(article_id: str, body: str, mentions: list[Mention], starts: list[int]) -> list[tuple]:
    rows = []
    spans = _quote_spans(body)
    quoted_ranges = [(q[0], q[1]) for q in spans]
    previous_close = 0
    for index, (opening, closing, start, end) in enumerate(spans):
        next_open = spans[index + 1][0] if index + 1 < len(spans) else len(body)
        # spaCy may run a sentence over a paragraph break; a paragraph start bounds it too
        sentence_start = max(_containing_start(starts, opening), body.rfind("\n", 0, opening) + 1)
        pre_start = max(sentence_start, previous_close)
        previous_close = closing
        speaker, cue = _attribute_after(body, closing, next_open, mentions)
        if cue is None:
            speaker, cue = _attribute_before(body, pre_start, opening, sentence_start, mentions)
        text = body[start:end]
        if cue is None and len(_WORD_RE.findall(text)) < MIN_UNATTRIBUTED_WORDS:
            continue
        rows.append(_row(article_id, start, end, text, speaker, cue))
    rows.extend(_reported_speech(article_id, body, mentions, starts, quoted_ranges))
    return rows


def _quote_spans(body: str) -> list[tuple[int, int, int, int]]:
    """(opening mark, after closing mark, start, end of the inside trimmed of spaces and a trailing comma)."""
    spans = []
    for match in _QUOTE_RE.finditer(body):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        start, end = match.start(group), match.end(group)
        inner = body[start:end]
        stripped = inner.rstrip(" \t,")
        end = start + len(stripped)
        start += len(stripped) - len(stripped.lstrip())
        if end > start and _WORD_RE.search(body, start, end):
            spans.append((match.start(), match.end(), start, end))
    return spans


def _containing_start(starts: list[int], position: int) -> int:
    index = bisect.bisect_right(starts, max(position, 0)) - 1
    return starts[index] if index >= 0 else 0


def _row(article_id, start, end, text, speaker: tuple[str | None, str] | None, cue):
    entity_id, speaker_text = speaker if speaker else (None, None)
    return (article_id, start, end, text, entity_id, speaker_text, cue)


def _attribute_after(body: str, pos: int, limit: int, mentions: list[Mention]):
    """Speaker and cue written after a quotation: “…,” the ministry noted."""
    window_end = min(limit, pos + 160)
    newline = body.find("\n", pos, window_end)
    window_end = newline if newline != -1 else window_end
    _, post, _ = _cue_regexes()
    if body[pos - 2 : pos - 1] == "." and re.match(r"\s+[A-Z]", body[pos : pos + 3]):
        return None, None  # the quotation closed its sentence; what follows is a new one
    match = post.match(body, pos, window_end)
    if match is None:
        return None, None
    group = "1" if match.group("cue1") else "2"
    spk_start, spk_end = match.span("spk" + group)
    cue = speech_verbs()[match.group("cue" + group).lower()][0]
    if len(_WORD_RE.findall(body, spk_start, spk_end)) > 8:
        return None, None
    speaker = _speaker_in(body, spk_start, spk_end, mentions)
    return (speaker, cue) if speaker else (None, None)


def _speaker_in(body: str, start: int, end: int, mentions: list[Mention]):
    """The speaker named in body[start:end]: a mention, a referring phrase, or the bare phrase."""
    inside = [m for m in mentions if m.start >= start and m.end <= end + 1 and m.label in SPEAKER_LABELS]
    if inside:
        person = [m for m in inside if m.label == "PERSON"]
        chosen = (person or inside)[-1]
        return chosen.entity_id, chosen.name
    phrase = body[start:end].strip()
    resolved = _resolve_phrase(phrase, start, mentions)
    if resolved:
        return resolved
    words = phrase.split()
    # "officials", "a spokesman", "Reid's representative": keep the phrase, unresolved.
    if 0 < len(words) <= 5 and not phrase[:1].isdigit():
        return None, phrase
    return None


def _resolve_phrase(phrase: str, position: int, mentions: list[Mention]):
    nominal = speaker_nominals().get(" ".join(phrase.lower().split()))
    if nominal is None:
        return None
    for label in nominal.labels:
        for mention in reversed(mentions):
            if mention.end > position or position - mention.end > _BACK_REFERENCE_CHARS:
                continue
            named = f"{mention.name} {mention.text}".lower()
            if mention.label == label and (nominal.keyword is None or nominal.keyword in named):
                return mention.entity_id, mention.name
    return None, phrase


def _attribute_before(body: str, pre_start: int, pos: int, sentence_start: int, mentions: list[Mention]):
    """Speaker and cue written before a quotation: X said: “…” / X called it a “…”."""
    cue_re, _, _ = _cue_regexes()
    cues = list(cue_re.finditer(body, pre_start, pos))
    for cue_match in reversed(cues):
        between = body[cue_match.end() : pos]
        if len(_WORD_RE.findall(between)) > _CUE_WINDOW_WORDS or re.search(r"[.!?;]", between):
            continue
        speaker = _subject_before(body, cue_match.start(), sentence_start, mentions)
        if speaker:
            return speaker, speech_verbs()[cue_match.group(0).lower()][0]
    return None, None


def _subject_before(body: str, cue_start: int, sentence_start: int, mentions: list[Mention]):
    """Who speaks through the cue at cue_start: adjacent entity, referring phrase, or subject."""
    in_sentence = [m for m in mentions if sentence_start <= m.start and m.end <= cue_start]
    for mention in reversed(in_sentence):
        gap = _GAP_RE.match(body, mention.end, cue_start)
        if gap and gap.end() == cue_start and mention.label in SPEAKER_LABELS:
            return mention.entity_id, mention.name
        break
    _, _, nominal_re = _cue_regexes()
    head = body[sentence_start:cue_start]
    trimmed = _strip_gap_words(head)
    match = nominal_re.search(trimmed)
    if match:
        return _resolve_phrase(match.group("phrase"), sentence_start + match.start(), mentions)
    # The sentence's subject: "Zhirnov conveyed … and described it as a “…”".
    for mention in in_sentence:
        lead = body[sentence_start : mention.start]
        if len(_WORD_RE.findall(lead)) <= 4 and mention.label in SPEAKER_LABELS and "," not in lead[:-2]:
            return mention.entity_id, mention.name
        if mention.label in SPEAKER_LABELS:
            break
    lead_word = re.match(r"\s*(\w+)", head)
    if lead_word and lead_word.group(1).lower() in {"he", "she", "they"}:
        return _resolve_phrase(lead_word.group(1), sentence_start, mentions)
    return None


def _strip_gap_words(head: str) -> str:
    """head without trailing auxiliaries/adverbs ("he also" -> "he")."""
    words = list(re.finditer(r"\S+", head))
    cut = len(head)
    gap_words = {"also", "has", "have", "had", "later", "then", "again", "previously", "already", "would"}
    for word in reversed(words):
        if word.group(0).lower().strip(",") in gap_words:
            cut = word.start()
            continue
        break
    return head[:cut].rstrip(" ,")


def _reported_speech(
    article_id: str, body: str, mentions: list[Mention], starts: list[int], quoted: list[tuple[int, int]]
) -> list[tuple]:
    """`X said (in a statement) that <clause>.` in sentences holding no quotation."""
    rows = []
    # sentences and paragraphs both bound a reported clause
    paragraphs = [m.end() for m in re.finditer(r"\n+", body)]
    bounds = sorted({*starts, *paragraphs, len(body)})
    pattern = _reported_re()
    for start, end in itertools.pairwise(bounds):
        if any(q_start < end and start < q_end for q_start, q_end in quoted):
            continue
        match = pattern.search(body, start, end)
        if match is None:
            continue
        speaker = _subject_before(body, match.start("cue"), start, mentions)
        if not speaker or (speaker[0] is None and speaker[1] is None):
            continue
        c_start, c_end = match.span("clause")
        cue = speech_verbs()[match.group("cue").lower()][0]
        rows.append(_row(article_id, c_start, c_end, body[c_start:c_end], speaker, cue))
    return rows
