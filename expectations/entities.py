"""Suite `entities`: one row per entity id, a name, a known type, ISO alpha-3 codes, coordinates on Earth."""

from __future__ import annotations

from expectations.common import ENTITY_LABELS, ISO3, gxe

TABLE = "entities"
COLUMNS = ["entity_id", "canonical_name", "type", "aliases", "country_code", "latitude", "longitude"]


def expectations() -> list:
    e = gxe()
    return [
        e.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=False),
        e.ExpectColumnValuesToNotBeNull(column="entity_id"),
        e.ExpectColumnValuesToBeUnique(column="entity_id"),
        e.ExpectColumnValuesToNotBeNull(column="canonical_name"),
        e.ExpectColumnValueLengthsToBeBetween(column="canonical_name", min_value=1, max_value=300),
        e.ExpectColumnValuesToBeInSet(column="type", value_set=ENTITY_LABELS),
        e.ExpectColumnValuesToMatchRegex(column="country_code", regex=ISO3),
        e.ExpectColumnValuesToBeBetween(column="latitude", min_value=-90, max_value=90),
        e.ExpectColumnValuesToBeBetween(column="longitude", min_value=-180, max_value=180),
    ]
