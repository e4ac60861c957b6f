"""Item isolation for batch steps: one item's failure quarantines that item, not the batch.

A batch step (enrich, link, validation, casting for the lake) runs on all its items at once, for
speed. When it raises, `isolate` finds the items it raised for by bisection — each probe runs
the step on a part of the batch — and runs the step again without them. Failing items get a
reason naming the step and the error class. The common case (nothing raises) costs nothing;
a failure costs about log2(batch) extra probes per failing item.

Some failures are nobody's item's fault, and bisecting them would blame good items:
- errors of the environment (`OSError`: disk full, a lost file; `MemoryError`) are re-raised at once;
- a step that fails with no items at all, or whose failure no single item reproduces (only a
  combination does), raises the first error: the run fails cleanly, and the inputs' failure
  count (`warehouse.input_failures`) takes over.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from transforms.safe_text import safe_text

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")

# Failures that are not an item's fault: never bisected, never blamed on an input.
ENVIRONMENT_ERRORS: tuple[type[BaseException], ...] = (OSError, MemoryError)

_DETAIL_CHARS = 300


class StepFailed(RuntimeError):
    """A step failed for a reason no item explains; carries the step's name for the one-line report."""

    def __init__(self, step: str, error: BaseException) -> None:
        super().__init__(f"step {step} failed: {type(error).__name__}: {error}")
        self.step = step
        self.error = error


def failure_reason(step: str, error: BaseException) -> str:
    """The quarantine reason of an item a step raised for: `<step>_failed: <ErrorClass>: <message>`."""
    return safe_text(f"{step}_failed: {type(error).__name__}: {error}"[:_DETAIL_CHARS])[0]


def is_environment_error(error: BaseException) -> bool:
    return isinstance(error, ENVIRONMENT_ERRORS)


def isolate(keys: Sequence[K], run: Callable[[list[K]], R], step: str) -> tuple[R, dict[K, str]]:
    """(run(keys without the failing ones), {failing key: reason}).

    `run` must be a pure function of the keys it is given (it is called on parts of them).
    """
    remaining = list(keys)
    failures: dict[K, str] = {}
    while True:
        try:
            return run(remaining), failures
        except ENVIRONMENT_ERRORS:
            raise
        except Exception as exc:
            first = exc
        if _raises(run, []) is not None:
            raise StepFailed(step, first) from first  # fails without any item: not an item's fault
        culprits = _culprits(remaining, run, first)
        if not culprits:
            raise StepFailed(step, first) from first  # only a combination of items fails
        failures.update({key: failure_reason(step, error) for key, error in culprits})
        blamed = set(failures)
        remaining = [key for key in remaining if key not in blamed]


def _raises(run: Callable[[list[K]], object], keys: list[K]) -> Exception | None:
    try:
        run(keys)
    except ENVIRONMENT_ERRORS:
        raise
    except Exception as exc:
        return exc
    return None


def _culprits(keys: list[K], run: Callable[[list[K]], object], error: Exception) -> list[tuple[K, Exception]]:
    """Items that make `run` raise on their own; `error` is what `run(keys)` raised."""
    if len(keys) == 1:
        return [(keys[0], error)]
    found = []
    half = len(keys) // 2
    for part in (keys[:half], keys[half:]):
        part_error = _raises(run, part)
        if part_error is not None:
            found.extend(_culprits(part, run, part_error))
    return found
