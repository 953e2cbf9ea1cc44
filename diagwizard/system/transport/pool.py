"""Run several bounded waits at once, so that N black-holed targets cost one timeout, not N."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Attempt(Generic[R]):
    """How one job of :func:`bounded_map` ended: a value, an exception, or no answer in time."""

    value: R | None = None
    error: BaseException | None = None
    timed_out: bool = False


def bounded_map(func: Callable[[T], R], items: Iterable[T], timeout: float) -> dict[T, Attempt[R]]:
    """Run ``func`` on every item at once; whatever is not done after ``timeout`` is
    marked as timed out (its daemon thread is abandoned, never joined)."""
    todo = list(dict.fromkeys(items))
    results: dict[T, Attempt[R]] = {}
    done: queue.Queue[tuple[T, Attempt[R]]] = queue.Queue()

    def work(item: T) -> None:
        try:
            done.put((item, Attempt(value=func(item))))
        except BaseException as exc:
            done.put((item, Attempt(error=exc)))

    for item in todo:
        threading.Thread(target=work, args=(item,), daemon=True, name="netio").start()
    deadline = time.monotonic() + timeout
    while len(results) < len(todo):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            item, attempt = done.get(timeout=remaining)
        except queue.Empty:
            break
        results[item] = attempt
    for item in todo:
        results.setdefault(item, Attempt(timed_out=True))
    return {item: results[item] for item in todo}
