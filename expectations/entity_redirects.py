"""Suite `entity_redirects`: each entity id that went away points once at another entity."""

from __future__ import annotations

from expectations.common import redirect_suite

TABLE = "entity_redirects"
derive, expectations = redirect_suite("entity_id")
