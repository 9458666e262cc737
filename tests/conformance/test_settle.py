"""The settle waiter: immediate when settled, bounded backoff while transitional, and a
budget that is spent in full only once per run."""

from __future__ import annotations

from collections.abc import Iterator

from conformance.endpoint.settle import DONE, MAX_DELAY_S, WAIT, WRONG, Settler


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def settler(timeout: float) -> tuple[Settler, FakeTime]:
    fake = FakeTime()
    return Settler(timeout, sleep=fake.sleep, clock=fake.clock), fake


def looks(*verdicts: str) -> Iterator[tuple[str, int]]:
    for i, verdict in enumerate(verdicts):
        yield verdict, i


def test_a_settled_state_costs_one_look_and_no_sleep() -> None:
    waiter, fake = settler(10)
    seen = looks(DONE)
    waited = waiter.wait(lambda: next(seen))
    assert (waited.verdict, waited.looks, fake.sleeps) == (DONE, 1, [])


def test_it_looks_again_with_growing_delays_until_done() -> None:
    waiter, fake = settler(10)
    seen = looks(WAIT, WAIT, WAIT, DONE)
    waited = waiter.wait(lambda: next(seen))
    assert waited.verdict == DONE and waited.value == 3 and waited.looks == 4
    assert fake.sleeps == sorted(fake.sleeps) and fake.sleeps[0] < fake.sleeps[-1]
    assert waiter.longest == waited.seconds > 0


def test_a_wrong_state_ends_the_wait_at_once() -> None:
    waiter, _ = settler(10)
    seen = looks(WAIT, WRONG, DONE)
    waited = waiter.wait(lambda: next(seen))
    assert (waited.verdict, waited.value, waited.looks) == (WRONG, 1, 2)


def test_the_budget_bounds_the_wait_and_delays_are_capped() -> None:
    waiter, fake = settler(30)
    waited = waiter.wait(lambda: (WAIT, "DISASSOCIATING"))
    assert waited.timed_out and waited.value == "DISASSOCIATING"
    assert 30 <= waited.seconds <= 30 + MAX_DELAY_S
    assert max(fake.sleeps) <= MAX_DELAY_S


def test_after_a_wait_ran_out_later_waits_are_cut_short() -> None:
    waiter, _ = settler(60)
    seen = looks(WAIT, WAIT, DONE)
    waiter.wait(lambda: next(seen))  # settles in a fraction of a second
    first = waiter.wait(lambda: (WAIT, None))
    assert first.timed_out and first.seconds >= 60
    again = waiter.wait(lambda: (WAIT, None))
    assert again.timed_out and again.budget == 1.0 and again.seconds < 2
    seen = looks(WAIT, DONE)
    assert waiter.wait(lambda: next(seen)).verdict == DONE  # a short settle still passes
