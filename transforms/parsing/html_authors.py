"""The authors of an HTML page: persons from JSON-LD, meta tags or the visible byline, not the site.

JSON-LD authors may be Person or Organization objects (named by `name`, else `givenName` and
`familyName`), lists (nested ones too), references to objects elsewhere in the graph (`{"@id": ...}`),
or strings ("A, B and C"). An author that is the site itself (its og:site_name,
publisher or host: "STERN.de", "Deutsche Welle (www.dw.com)") or a CMS account ("admin") is not a
person. After JSON-LD persons come meta-tag names, a JSON-LD organisation other than the site (a
news agency), then the visible byline (elements marked as author/byline, "By ...", "von ...",
"par ..." as listed in `patterns/bylines.tsv`); the site itself only when nothing else names anyone.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html

from transforms.page_metadata import LATIN_LETTER, is_person_name, load_table, split_authors
from transforms.parsing.html_title import site_key

ORG_TYPES = re.compile(r"organi[sz]ation|corporation|newsmedia|^brand$", re.I)
_ACCOUNT = re.compile(r"(?:^|[/_\-\s])(?:admin|administrator|redaktion|editorial|staff)(?:[/_\-\s]|$)", re.I)
_META_KEYS = ("author", "article:author", "byl", "dc.creator", "parsely-author", "sailthru.author")
_BYLINE_XPATH = (
    "//*[not(self::script or self::style or self::meta or self::link or self::head)]"
    "[@rel='author' or @itemprop='author' or contains(translate(@class,'AUTHOR','author'),'author')"
    " or contains(translate(@class,'BYLINE','byline'),'byline')]"
)
# Parts of a class that mark an author's biography, picture or list of other pages, not the byline.
_NOT_BYLINE = re.compile(
    r"bio|avatar|image|img|photo|pic|more|other|related|box|card|follow|social|socmed|contact|share", re.I
)

Found = tuple[list[str], str | None]  # (names, source label)


@lru_cache(maxsize=1)
def _byline_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(words opening a byline, role words around a name, words joining names) of every language."""
    rows = load_table("bylines")
    intro = sorted({r["word"] for r in rows if r["kind"] == "intro"}, key=len, reverse=True)
    roles = sorted({r["word"] for r in rows if r["kind"] == "role"}, key=len, reverse=True)
    opening = re.compile(rf"^\W*(?:{'|'.join(map(re.escape, intro))})\b\s*[:\-–]?\s*", re.I)
    role = re.compile(rf"(?:^|[\s,(])(?:{'|'.join(map(re.escape, roles))})(?:$|[\s,)])", re.I)
    joins = sorted({r["word"] for r in rows if r["kind"] == "and"}, key=len, reverse=True)
    # Lower-case only: "E" or "I" opening a name is an initial, not a conjunction.
    join = re.compile(rf"\s+(?:{'|'.join(map(re.escape, joins))})\s+|\s*[/&;]\s*")
    return opening, role, join


def is_site(name: str, sites: set[str]) -> bool:
    key = site_key(name)
    return bool(key) and any(
        key == site or (len(site) >= 3 and key.startswith(site)) or (len(site) >= 5 and site in key)
        for site in sites
    )


def _without_role(name: str, role: re.Pattern[str]) -> str:
    """A name without its role: a role word opening it goes ("Reporter Jane Doe"); one after it ends
    the name ("Jane Doe, envoyé spécial à Kyiv", "박준석 기자")."""
    name = name.strip(" ,-–|")
    match = role.search(name)
    opened = False
    while match and match.start() == 0:
        name, opened = name[match.end() :].strip(" ,-–|:"), True
        match = role.search(name)
    name = (name[: match.start()] if match else name).strip(" ,-–|")
    # What follows a role that opened the part is a name, or a place ("Korrespondentin in Paris").
    return name if not opened or is_person_name(name) else ""


def _clean(names: list[str]) -> list[str]:
    """Names without the words that open a byline or give a role ("By Jane Doe", "Jane Doe, Reporter"),
    names joined in one string split ("Anna Schmidt und Peter Müller", "A/B"), addresses dropped."""
    opening, role, join = _byline_words()
    out: list[str] = []
    for written in names:
        for name in join.split(opening.sub("", written).strip()):
            name = _without_role(opening.sub("", name), role)
            if name and name not in out and "@" not in name and "://" not in name:
                out.append(name)
    return out


def _flat(value: object) -> list[object]:
    """Items of a JSON-LD value, lists inside lists flattened (`[[{...}, {...}]]`)."""
    if not isinstance(value, list):
        return [value]
    return [item for part in value for item in _flat(part)]


def _item_names(item: dict) -> list[str]:
    """The names of one author object: `name` (a string, or a list of them), else `givenName` and
    `familyName` joined, else `alternateName`."""
    name = item.get("name")
    if isinstance(name, dict):  # a language map ({"@value": "..."})
        name = name.get("@value")
    names = [n for value in _flat(name) for n in split_authors(value)]
    if not names:
        parts = [item.get(k) for k in ("givenName", "additionalName", "familyName")]
        whole = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
        names = split_authors(whole or item.get("alternateName"))
    return names


def ld_authors(ld: dict, by_id: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(persons, organisations) named as the article's authors in its JSON-LD."""
    value = ld.get("author") or ld.get("creator")
    persons: list[str] = []
    orgs: list[str] = []
    for item in _flat(value):
        if isinstance(item, dict) and not _item_names(item) and isinstance(item.get("@id"), str):
            item = by_id.get(item["@id"], item)
        if isinstance(item, dict):
            kind = item.get("@type")
            kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]
            account = any(_ACCOUNT.search(str(item.get(k) or "")) for k in ("@id", "url", "name"))
            names = _item_names(item)
            if account:
                continue
            (orgs if any(ORG_TYPES.search(k) for k in kinds) else persons).extend(names)
        elif isinstance(item, str) and not _ACCOUNT.search(item):
            persons.extend(split_authors(item))
    return _clean(persons), _clean(orgs)


def full_name(name: str) -> bool:
    """A person's name with given and family name (a visible one-word "byline" is mostly an agency
    or initials); names in scripts without case are taken as they are."""
    return is_person_name(name) and (not LATIN_LETTER.search(name) or len(name.split()) >= 2)


def _names_in(text: str) -> list[str]:
    parts = [n for part in _byline_words()[2].split(text) for n in _clean(split_authors(part))]
    return parts if parts and all(full_name(n) and n.split()[0][:1].isupper() for n in parts) else []


def _short_text(el: lxml.html.HtmlElement, limit: int) -> str | None:
    """The element's text, whitespace collapsed, or None past `limit` characters (read no further:
    a page's outer blocks hold all of it)."""
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece.strip())
        if size > limit:
            return None
        parts.append(piece)
    return " ".join("".join(parts).split())


def _all_bold(el: lxml.html.HtmlElement) -> bool:
    """A paragraph whose whole text is one <strong>/<b> child."""
    return (
        el.tag == "p"
        and len(el) == 1
        and el[0].tag in ("strong", "b")
        and not (el.text or "").strip()
        and not (el[0].tail or "").strip()
    )


def visible_byline(tree: lxml.html.HtmlElement, sites: set[str]) -> Found:
    """Names of the visible byline: the first element marked as author/byline that holds person
    names; else a short line opening with a byline word ("By ...", "von ...", "Autor: ..."), or a
    paragraph wholly in bold that is only names, above the article's first long paragraph."""
    for el in tree.xpath(_BYLINE_XPATH):
        if _NOT_BYLINE.search(el.get("class") or ""):
            continue
        text = " ".join(el.text_content().split())
        if text and len(text) <= 120:
            names = [n for n in _clean(split_authors(text)) if full_name(n) and not is_site(n, sites)]
            if names:
                return names, "html:byline"
    opening = _byline_words()[0]
    bold: list[str] = []
    begun = False
    for el in tree.iter("p", "li", "span", "div"):
        text = _short_text(el, 200 if el.tag == "p" else 80)
        begun = begun or (text is None and el.tag == "p")
        if not text or len(text) > 80:
            continue
        if opening.match(text):  # a labelled byline may also follow the text ("Autor: ...")
            names = [n for n in _names_in(text) if not is_site(n, sites)]
            if names:
                return names, "html:byline"
        elif not begun and not bold and _all_bold(el):
            bold = [n for n in _names_in(text) if not is_site(n, sites)]
    return (bold, "html:bold-byline") if bold else ([], None)


def page_authors(
    tree: lxml.html.HtmlElement, ld: dict, by_id: dict[str, dict], metas: dict[str, str], sites: set[str]
) -> Found:
    """The page's authors and where they came from (json-ld, opengraph, meta:<name>, html:byline).

    In order: JSON-LD persons (with the agencies the JSON-LD credits beside them), meta-tag names, JSON-LD organisations other than the site (news
    agencies), the visible byline; the site itself named as author only when nothing else is."""
    persons, orgs = ld_authors(ld, by_id)
    own = [n for n in persons + orgs if is_site(n, sites)]
    persons = [p for p in persons if p not in own]
    if persons:
        return persons + [o for o in orgs if o not in own], "json-ld"
    own_source = "json-ld" if own else None
    for key in _META_KEYS:
        value = metas.get(key)
        if not value or "://" in value:  # article:author is often a profile URL
            continue
        names = [n for n in _clean(split_authors(value)) if not _ACCOUNT.search(n)]
        label = "opengraph" if key.startswith("article:") else f"meta:{key}"
        people = [n for n in names if not is_site(n, sites)]
        if people:
            return people, label
        if names and not own:
            own, own_source = names, label
    agencies = [o for o in orgs if o not in own]
    if agencies:
        return agencies, "json-ld"
    names, source = visible_byline(tree, sites)
    if names:
        return names, source
    # The site named as author is what remains (many sites credit staff pieces to themselves).
    return (own, own_source) if own else ([], None)
