"""A fetched page is parsed into a DOM once, however many readings it gets: a page fetched as a
report that holds no report body is read as a list (is it a list of reports?) and then as a report
(its attachments) — from one parse. Counted by wrapping the real parser (it still parses)."""

from __future__ import annotations

from typing import Any

import pytest

import crawler.discover.base as base
from crawler.intake import parse
from gongkai.store import FrontierItem

T = "政府信息公开工作年度报告"


def _count_parses(monkeypatch: pytest.MonkeyPatch, text: str) -> list[int]:
    calls = [0]
    real = base.LexborHTMLParser

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, html: str, *args: Any, **kw: Any) -> None:
            if html == text:
                calls[0] += 1
            super().__init__(html, *args, **kw)

    monkeypatch.setattr(base, "LexborHTMLParser", Counting)
    return calls


def _item(kind: str, reason: str = "report:disclosure_report") -> FrontierItem:
    return FrontierItem(key="k", url="http://x.gov.cn/a.html", method="GET", form=None, kind=kind, family="generic",
                        source="s", host="x.gov.cn", parent_url=None, title=f"某局2023年{T}", report_year=2023,
                        depth=1, attempts=0, reason=reason)


def test_report_link_without_a_report_body_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # a report link that leads to a page with one report title and an attachment, but no report body
    html = (f"<html><head><title>某局2023年{T}</title></head><body><h1>某局2023年{T}</h1>"
            f'<p>见附件。</p><a href="/files/2023nb.pdf">附件下载</a>'
            f'<ul><li><a href="/other.html">某局2022年{T}</a></li></ul></body></html>')
    calls = _count_parses(monkeypatch, html)
    got = parse(_item("report"), "http://x.gov.cn/a.html", html.encode(), "text/html; charset=utf-8", {}, 3, 100)
    assert got.kind == "report"  # read as a list first (one report link: not a list of reports), then as a report
    assert [x.url for x in got.found.links] == ["http://x.gov.cn/files/2023nb.pdf"]
    assert calls[0] == 1


def test_report_body_on_a_list_page_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    heads = "".join(f"<h2>{h}</h2><p>内容。</p>" for h in ("一、总体情况", "二、主动公开政府信息情况",
                                                        "三、收到和处理政府信息公开申请情况",
                                                        "四、政府信息公开行政复议、行政诉讼情况"))
    html = f"<html><body><h1>某局2023年{T}</h1>{heads}</body></html>"
    calls = _count_parses(monkeypatch, html)
    got = parse(_item("list", "column_title"), "http://x.gov.cn/nb/", html.encode(), "text/html; charset=utf-8",
                {}, 3, 100)
    assert (got.kind, got.reason, got.title) == ("report", "body:report_on_list_page", f"某局2023年{T}")
    assert calls[0] == 1
