"""The headline of an HTML page: one of its title candidates, without the site's name.

Candidates, in order of trust: the JSON-LD `headline`, `og:title`, `twitter:title`, the first `<h1>`,
the `<title>`. Pages decorate most of them with furniture ("Headline | Section | Site - 28.04.2023"):
a trailing or leading segment goes when it names the site (og:site_name, the publisher, the host)
or is a date, a leading "SITE: " when it is the site's name exactly, and a trailing segment when
what is left is another candidate word for word. A candidate that is only the site's name (a logo
in an `<h1>`) is skipped; a shortened headline ("…") gives way to the candidate it shortens.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Segment separators: spaced dashes, bars and bullets; bars (ASCII, full-width, the Hangul letter
# that Korean sites use as one) and full-width colons also unspaced.
_SEPARATOR = re.compile(r"\s+[-–—|·•»:/]\s+|\s*[|｜ㅣ：]\s*|\s+::\s+")
_SITE_COLON = re.compile(r"^([^:]{2,40}):\s+(?=\S)")
_DATE_ONLY = re.compile(r"^[\d\s./-]{6,}$")
_TLD = re.compile(r"\.(?:com|net|org|co|info|news|tv|online)?(?:\.[a-z]{2})?$", re.I)
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "or", "ne", "go"})
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|amp|edition|mobile)\.", re.I)

Candidate = tuple[str, str]  # (source label, text)


def site_key(text: str) -> str:
    """Comparison form: NFKC, case and everything but letters and digits dropped."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def site_names(names: list[str | None], url: str | None) -> set[str]:
    """Comparison keys of the site's names, each also without its domain ending ("NTV.com.tr" -> "ntv"),
    and of the URL's host name ("globalnews.ca" -> "globalnews") and its domain label."""
    keys: set[str] = set()
    raw = [n for n in names if isinstance(n, str) and n.strip()]
    host = urlsplit(url).hostname if url and "//" in url else None
    if host:
        raw.append(_HOST_PREFIX.sub("", host))
        # The domain's own label names the site too ("faktencheck.afp.com" -> "afp").
        labels = host.lower().split(".")
        second_level = len(labels) >= 3 and labels[-2] in _SECOND_LEVEL
        raw.append(labels[-3] if second_level else labels[-2] if len(labels) >= 2 else labels[0])
    for name in raw:
        for variant in (name, _TLD.sub("", name.strip())):
            key = site_key(variant)
            if len(key) >= 2:
                keys.add(key)
    return keys


def _names_site(segment: str, sites: set[str]) -> bool:
    key = site_key(segment)
    if not key:
        return False
    # "Mirror Online" / "NTV Haber" / "Globalnews.ca" start with a site key; "DW" is one; "The
    # Washington Post" holds the host's "washingtonpost".
    return any(
        key == site or (len(site) >= 3 and key.startswith(site)) or (len(site) >= 5 and site in key)
        for site in sites
    ) or bool(_DATE_ONLY.match(segment))


def clean_title(text: str, sites: set[str], others: set[str] = frozenset()) -> str:
    """The title without leading/trailing segments that name the site or are dates, then cut to its
    longest leading part that is another candidate word for word (`others`: their comparison keys)."""
    while True:
        matches = list(_SEPARATOR.finditer(text))
        colon = _SITE_COLON.match(text)
        if matches and _names_site(text[matches[-1].end() :], sites):
            text = text[: matches[-1].start()].strip()
        elif matches and _names_site(text[: matches[0].start()], sites):
            text = text[matches[0].end() :].strip()
        elif colon and site_key(colon.group(1)) in sites:
            text = text[colon.end() :].strip()  # "SITE: Headline"
        else:
            break
    for match in reversed(matches):  # "Headline | Section" where "Headline" is another candidate
        key = site_key(text[: match.start()])
        if len(key) >= 8 and key in others:
            return text[: match.start()].strip()
    return text


def choose_title(candidates: list[Candidate], sites: set[str]) -> Candidate | None:
    """The headline and where it came from: the first candidate in order of trust, cleaned.

    (Letting `og:title` win over a differing JSON-LD headline when the `<h1>` agrees with it was
    tried: as many pages lost as gained.)
    """
    present = [(source, text) for source, text in candidates if text]
    if not present:
        return None
    keys = {source: site_key(text) for source, text in present}
    cleaned: list[Candidate] = []
    for source, text in present:
        others = {key for other, key in keys.items() if other != source}
        cleaned.append((source, clean_title(text, sites, others) or text))
    # A candidate that is only the site's name (a logo in an <h1>) is no headline.
    cleaned = [(source, text) for source, text in cleaned if not _names_site(text, sites)] or cleaned
    source, text = cleaned[0]
    if text.endswith(("…", "...")):  # a shortened headline: the candidate it shortens, if any
        stem = site_key(text)
        longer = [c for c in cleaned[1:] if site_key(c[1]).startswith(stem) and len(c[1]) > len(text)]
        if stem and longer:
            return longer[0]
    return source, text
