"""Item isolation: the items a batch step raises for are found, the rest goes on."""

import pytest

from transforms.isolation import StepFailed, failure_reason, isolate


def _step(bad: set[int], calls: list[list[int]] | None = None):
    def run(keys: list[int]) -> int:
        if calls is not None:
            calls.append(list(keys))
        hit = bad.intersection(keys)
        if hit:
            raise ValueError(f"cannot take {sorted(hit)}")
        return sum(keys)

    return run


def test_nothing_failing_runs_once():
    calls: list[list[int]] = []
    assert isolate(list(range(100)), _step(set(), calls), "enrich") == (4950, {})
    assert calls == [list(range(100))]


def test_failing_items_are_found_and_the_rest_runs_without_them():
    result, failures = isolate(list(range(100)), _step({7, 64}), "link")
    assert result == 4950 - 7 - 64
    assert failures == {
        7: "link_failed: ValueError: cannot take [7]",
        64: "link_failed: ValueError: cannot take [64]",
    }


def test_a_lone_item_that_fails_is_blamed():
    assert isolate([5], _step({5}), "enrich") == (0, {5: "enrich_failed: ValueError: cannot take [5]"})


def test_environment_errors_are_never_blamed_on_items():
    def run(keys):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        isolate([1, 2, 3], run, "validate")


def test_a_step_that_fails_without_items_fails_the_run():
    def run(keys):
        raise KeyError("body")

    with pytest.raises(StepFailed, match="step enrich failed: KeyError"):
        isolate([1, 2, 3], run, "enrich")


def test_a_failure_only_a_combination_reproduces_fails_the_run():
    def run(keys):
        if {1, 2} <= set(keys):
            raise RuntimeError("the pair")
        return len(keys)

    with pytest.raises(StepFailed):
        isolate([1, 2, 3, 4], run, "link")


def test_reasons_are_safe_text_and_bounded():
    reason = failure_reason("cast", ValueError("bad \ud800 " + "x" * 1000))
    reason.encode("utf-8")
    assert reason.startswith("cast_failed: ValueError: bad \ufffd") and len(reason) <= 300
