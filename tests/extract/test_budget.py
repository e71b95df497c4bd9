"""The per-document CPU budget: a document past it ends `too_complex`, the run goes on, and the
budget leaves no timer or handler behind. The budgets here are far below what the input needs
(a 10 MB page takes about a second of CPU), so no test depends on the machine's speed."""

from __future__ import annotations

import signal
import threading

from extract.budget import Budget, BudgetExceeded, check
from extract.document import extract_document
from gongkai.model import ExtractStatus
from tests.conftest import DOCS

SEED = "seed_yizhou_zhujianju_2024.txt"


def _big_page() -> bytes:
    rows = "".join(f"<tr><td>行政许可</td><td>{i}</td></tr>" for i in range(20_000))
    page = f"<html><body><p>2024年政府信息公开工作年度报告</p><table>{rows}</table>"
    return (page + "<p>" + "填充文字" * 500_000 + "</p></body></html>").encode()


def test_past_the_budget_the_document_is_too_complex() -> None:
    handler = signal.getsignal(signal.SIGVTALRM)
    r = extract_document(_big_page(), "big.html", budget_s=0.001)
    assert r.status is ExtractStatus.TOO_COMPLEX
    assert [e.code for e in r.errors] == ["too_complex"]
    assert not r.cells and not r.checks
    # nothing left behind: the next document runs normally
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGVTALRM) == handler
    assert extract_document((DOCS / SEED).read_bytes(), SEED).status is ExtractStatus.EXTRACTED_WITH_ISSUES


def test_outside_the_main_thread_the_loops_check_the_budget() -> None:
    got = []
    t = threading.Thread(target=lambda: got.append(extract_document(_big_page(), "big.html", budget_s=0.001)))
    t.start()
    t.join()
    assert got[0].status is ExtractStatus.TOO_COMPLEX


def test_check_is_silent_outside_a_budget_and_inside_one_not_spent() -> None:
    check()
    with Budget(60):
        check()


def test_budget_exceeded_is_not_an_exception_a_reader_could_swallow() -> None:
    assert not issubclass(BudgetExceeded, Exception)
