"""Bytes to text: gzip with a decompressed-size cap, byte-order marks, declared and sniffed encodings."""

from __future__ import annotations

import re
import zlib

from transforms.parsing.errors import ParseLimits, Quarantined

_GZIP_MAGIC = b"\x1f\x8b"
# Signatures of binary formats that are never news text (checked before any decoding).
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x7fELF",
    b"MZ",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\x00\x00\x01\x00",
    b"SQLite format",
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def gunzip_capped(data: bytes, limits: ParseLimits) -> bytes:
    """Decompress (possibly multi-member) gzip, stopping as soon as the output passes the cap.

    `gzip.decompress` would inflate a bomb fully into memory before we could check its size.
    """
    out: list[bytes] = []
    total = 0
    rest = data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        chunk_in = rest
        while chunk_in:
            budget = limits.max_decompressed_bytes - total + 1
            try:
                piece = inflater.decompress(chunk_in, budget)
            except zlib.error as exc:
                raise Quarantined("corrupt_gzip", str(exc)) from None
            total += len(piece)
            if total > limits.max_decompressed_bytes:
                raise Quarantined(
                    "decompression_bomb", f"decompressed size exceeds {limits.max_decompressed_bytes} bytes"
                )
            out.append(piece)
            chunk_in = inflater.unconsumed_tail
            if inflater.eof:
                break
        if not inflater.eof:
            raise Quarantined("truncated", "gzip stream ends before its end marker")
        rest = inflater.unused_data.lstrip(b"\x00")
        if rest and not rest.startswith(_GZIP_MAGIC):
            break  # trailing garbage after the last member: ignore as gzip(1) does
    return b"".join(out)


def unwrap(content: bytes, limits: ParseLimits) -> bytes:
    """Raw item bytes to the payload bytes: size checks, gzip, binary formats refused."""
    if isinstance(content, str):  # already text (a caller that read the file as text): take its UTF-8
        content = content.encode("utf-8", "surrogatepass")
    if not isinstance(content, bytes | bytearray | memoryview):
        raise Quarantined("wrong_types", f"content is {type(content).__name__}, not bytes")
    data = bytes(content)
    if len(data) > limits.max_bytes:
        raise Quarantined("too_large", f"{len(data)} bytes > limit {limits.max_bytes}")
    if data.startswith(_GZIP_MAGIC):
        data = gunzip_capped(data, limits)
    if not data.strip():
        raise Quarantined("empty", "no content" if not data else "only whitespace")
    if data.startswith(_BINARY_MAGIC):
        raise Quarantined("binary", f"binary file signature {data[:8]!r}")
    return data


def to_text(data: bytes) -> str:
    """Decode payload bytes: BOM, then UTF-8, then a declared charset, then a sniffed one."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(codec))
            except UnicodeDecodeError as exc:
                raise Quarantined("undecodable", f"{codec} with BOM: {exc}") from None
    if b"\x00" in data[:4096] or data.count(b"\x00") > 0:
        text = _utf16_without_bom(data)
        if text is not None:
            return _checked(text)
        nuls = data.count(b"\x00")
        raise Quarantined("nul_bytes", f"{nuls} NUL bytes in a text item")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(data[:4096])
    if declared:
        try:
            return _checked(data.decode(declared.group(1).decode("ascii")))
        except (LookupError, UnicodeDecodeError):
            pass
    return _checked(_sniff(data))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs at every other byte; anything else with NULs is not text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    codec = "utf-16-le" if odd > 0.4 * half and even < 0.05 * half else None
    codec = codec or ("utf-16-be" if even > 0.4 * half and odd < 0.05 * half else None)
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _sniff(data: bytes) -> str:
    """charset-normalizer guesses legacy single-byte encodings (cp1252, latin-1, koi8-r, ...)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    if not matches or matches[0].encoding is None:
        raise Quarantined("undecodable", "not UTF-8 and no plausible legacy encoding")
    best = matches[0]
    # Ties between single-byte Latin code pages are common on short texts: windows-1252 is by far
    # the most used legacy encoding on the web, so it wins a tie.
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    best = next((m for m in tied if m.encoding == "cp1252"), best)
    try:
        text = data.decode(best.encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise Quarantined("undecodable", f"{best.encoding}: {exc}") from None
    visible = [ch for ch in text[:20_000] if not ch.isspace()]
    if visible and sum(ch.isalpha() for ch in visible) < 0.5 * len(visible):
        raise Quarantined("undecodable", f"no encoding gives text (best guess {best.encoding})")
    return text


def _checked(text: str) -> str:
    """Decoded text must still look like text: few control characters."""
    sample = text[:100_000]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise Quarantined("binary", "too many control characters for text")
    return text
