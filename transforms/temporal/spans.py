"""spaCy DATE/TIME spans the grammar missed: kept only when they can be given a value."""

from __future__ import annotations

from transforms.temporal.resolve import Context, Resolved


def resolve_span(ctx: Context) -> Resolved | None:
    return None
