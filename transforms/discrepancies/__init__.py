"""Cross-source discrepancies inside a story: where two outlets reporting one event disagree.

Modules: `find` (the step: pairs of articles of one story, quotes given to different speakers),
`align` (which sentences of two articles report the same fact), `compare` (what two aligned
sentences assert: dates, numbers, names, and where they conflict).
"""

from __future__ import annotations

from transforms.discrepancies.find import (
    DISCREPANCY_COLUMNS,
    find_discrepancies,
    find_discrepancies_over,
    rows_of,
)

__all__ = ["DISCREPANCY_COLUMNS", "find_discrepancies", "find_discrepancies_over", "rows_of"]
