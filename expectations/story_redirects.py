"""Suite `story_redirects`: each story id that went away points once at another story."""

from __future__ import annotations

from expectations.common import redirect_suite

TABLE = "story_redirects"
derive, expectations = redirect_suite("story_id")
