"""One rule for text entering newsflow, applied once where it enters (parse, discover).

Every later step — pandas and pyarrow (UTF-8 only), DuckDB, spaCy, GX, the JSON of `extract` —
must be able to hold every string, so a value is repaired before any of them sees it:

- surrogates: a properly paired one becomes the character it encodes, a lone one (JSON's
  `"\\ud800"`, a file name decoded with `surrogateescape`) becomes U+FFFD;
- C1 control characters (U+0080–U+009F) become their Windows-1252 characters, as browsers do
  (they are almost always cp1252 bytes read as Latin-1: `\\x92` is an apostrophe); the five
  code points cp1252 leaves undefined are removed;
- NUL, the other C0 controls, DEL, deprecated format controls, U+FEFF inside text, the
  interlinear-annotation characters and the noncharacters U+FFFE and U+FFFF (which no XML or
  HTML tree can hold) are removed (tab, line feed, carriage return and form feed stay).

Nothing is rejected by this rule: a value that ends empty is judged by the step that needs it
(an empty body becomes `empty_body`). Each change is reported by field and kind, for the
`text_repairs` table. The character fixes are ftfy's (`ftfy.fixes`); only the fast check and
the accounting are ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ftfy.fixes import fix_c1_controls, fix_surrogates, remove_control_chars

# Any character the rule would change. One C-level scan: clean text (nearly all of it) costs this only.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\u206a-\u206f\ufeff\ufff9-\ufffc\ufffe\uffff]"
)
# The two noncharacters XML (and so lxml, which every markup step uses) refuses to hold.
_XML_NONCHARACTER = re.compile("[\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_C1 = re.compile("[\x80-\x9f]")

REPAIRS = {
    "surrogate": "surrogate code points: pairs joined, lone ones replaced by U+FFFD",
    "c1_control": "C1 control characters read as Windows-1252 (undefined ones removed)",
    "control": "NUL, other control and format characters removed",
    "noncharacter": "U+FFFE and U+FFFF removed (no XML or HTML tree can hold them)",
}


def safe_text(text: str) -> tuple[str, dict[str, int]]:
    """(repaired text, characters changed by kind); the text itself when nothing needs repair."""
    if not _UNSAFE.search(text):
        return text, {}
    changes: dict[str, int] = {}
    if surrogates := len(_SURROGATE.findall(text)):
        text = fix_surrogates(text)
        changes["surrogate"] = surrogates
    if c1 := len(_C1.findall(text)):
        text = _C1.sub("", fix_c1_controls(text))
        changes["c1_control"] = c1
    if noncharacters := len(_XML_NONCHARACTER.findall(text)):
        text = _XML_NONCHARACTER.sub("", text)
        changes["noncharacter"] = noncharacters
    before = len(text)
    text = remove_control_chars(text)
    if before != len(text):
        changes["control"] = before - len(text)
    return text, changes


# A numeric character reference in markup, decimal or hex.
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _unsafe_code_point(value: int) -> bool:
    return (
        value > 0x10FFFF
        or 0xD800 <= value <= 0xDFFF
        or value in (0xFFFE, 0xFFFF)
        or (value < 0x20 and value not in (9, 10, 13))
    )


def safe_char_refs(markup: bytes) -> bytes:
    """Markup bytes with references to code points no text may hold (surrogates, NUL and other C0
    controls, past U+10FFFF) turned into references to U+FFFD, as HTML parsers read them."""
    if b"&#" not in markup:
        return markup

    def replace(match: re.Match[bytes]) -> bytes:
        hex_digits, digits = match.groups()
        value = int(hex_digits, 16) if hex_digits else int(digits)
        return b"&#xFFFD;" if _unsafe_code_point(value) else match.group(0)

    return _CHAR_REF.sub(replace, markup)


def safe_value(value: object) -> tuple[object, dict[str, int]]:
    """A value made safe: strings, and the strings (keys too) inside lists, tuples and dicts."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list | tuple):
        items, total = [], {}
        for item in value:
            fixed, changes = safe_value(item)
            items.append(fixed)
            _add(total, changes)
        return (items if total else value), total
    if isinstance(value, dict):
        fixed_dict, total = {}, {}
        for key, item in value.items():
            fixed_key, key_changes = safe_value(key)
            fixed_item, changes = safe_value(item)
            fixed_dict[fixed_key] = fixed_item
            _add(total, key_changes)
            _add(total, changes)
        return (fixed_dict if total else value), total
    return value, {}


def _add(total: dict[str, int], changes: dict[str, int]) -> None:
    for kind, count in changes.items():
        total[kind] = total.get(kind, 0) + count


def as_repairs(field: str, changes: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(field, kind, count) for kind, count in sorted(changes.items())]


def safe_record(record: dict, fields: Iterable[str] | None = None) -> list[tuple[str, str, int]]:
    """Repair the record's fields in place; returns (field, repair kind, characters changed)."""
    repairs = []
    for name in list(fields if fields is not None else record):
        if name not in record:
            continue
        fixed, changes = safe_value(record[name])
        if changes:
            record[name] = fixed
            repairs.extend(as_repairs(name, changes))
    return repairs
