"""A budget of CPU time per document, so a pathological document ends with `too_complex`.

Two ways of stopping, because neither alone covers every case:
- in the main thread (the CLI, the build), a one-shot CPU timer (SIGVTALRM) interrupts whatever
  Python code runs when the budget is spent, our loops and a library's alike;
- anywhere, long loops of ours call `check()` between steps (the only way in other threads).

`BudgetExceeded` is a BaseException so that no reader's or library's `except Exception` can
swallow it; `extract.document` turns it into the status. Readers with loops of their own (a page
of drawing operators) call `check()` too.
"""

from __future__ import annotations

import signal
import threading
import time
from contextvars import ContextVar
from types import FrameType, TracebackType

DOCUMENT_CPU_SECONDS = 20.0

_deadline: ContextVar[float | None] = ContextVar("gongkai_extract_deadline", default=None)


class BudgetExceeded(BaseException):  # like KeyboardInterrupt: a stop, not an error
    """The document's CPU budget is spent."""


def check() -> None:
    """Raise BudgetExceeded when the current document's budget is spent (cheap: one clock read)."""
    deadline = _deadline.get()
    if deadline is not None and time.thread_time() > deadline:
        raise BudgetExceeded


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    if _deadline.get() is not None:
        raise BudgetExceeded


class Budget:
    """`with Budget(seconds):` — the document's extraction, stopped when it spends `seconds` of CPU."""

    def __init__(self, seconds: float = DOCUMENT_CPU_SECONDS) -> None:
        self.seconds = seconds
        self._armed = False
        self._old_handler: signal.Handlers | object = None
        self._token: object = None

    def __enter__(self) -> Budget:
        self._token = _deadline.set(time.thread_time() + self.seconds)
        if (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
                and signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)):
            self._old_handler = signal.signal(signal.SIGVTALRM, _on_alarm)
            self._armed = True
            signal.setitimer(signal.ITIMER_VIRTUAL, self.seconds)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Disarm and restore; safe to call twice (the timer may fire while __exit__ runs)."""
        if self._armed:
            self._armed = False
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, self._old_handler)  # type: ignore[arg-type]
        if self._token is not None:
            token, self._token = self._token, None
            _deadline.reset(token)  # type: ignore[arg-type]
