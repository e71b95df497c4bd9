"""The HTML reader on hand-made pages: span expansion, the body text and the picture count."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from extract.readers.html import read_html


def grid(html: str) -> list[list[str]]:
    (table,) = read_html(f"<html><body>{html}</body></html>").tables
    return [[("~" if c.span_copy else "") + f"{c.text}@{c.row},{c.col}" for c in row] for row in table.rows]


def test_spans_are_expanded_into_marked_copies() -> None:
    html = ("<table><tr><td rowspan=2>结果维持</td><td colspan=2>a</td></tr>"
            "<tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>")
    assert grid(html) == [
        ["结果维持@0,0", "a@0,1", "~a@0,2"],
        ["~结果维持@1,0", "1@1,1", "2@1,2"],
        ["3@2,0"],
    ]


def test_a_rowspan_past_the_last_row_and_trailing_empty_rows() -> None:
    """Rows a rowspan reaches below the last <tr> are rows of the grid; <tr>s with no cell after
    the last cell are not; an empty <tr> between two rows is an empty row."""
    html = "<table><tr><td>结果维持</td><td rowspan=3>x</td></tr><tr></tr><tr></tr><tr></tr></table>"
    assert grid(html) == [["结果维持@0,0", "x@0,1"], ["~x@1,1"], ["~x@2,1"]]
    html = "<table><tr><td>结果维持</td></tr><tr></tr><tr><td>1</td></tr></table>"
    assert grid(html) == [["结果维持@0,0"], [], ["1@2,0"]]


def test_a_colspan_over_a_rowspan_keeps_both_cells() -> None:
    """Overlapping spans (bad markup) are kept as printed, copy first: nothing is dropped silently."""
    html = "<table><tr><td>结果维持</td><td rowspan=2>r</td></tr><tr><td colspan=3>c</td></tr></table>"
    assert grid(html) == [["结果维持@0,0", "r@0,1"], ["c@1,0", "~r@1,1", "~c@1,1", "~c@1,2"]]


def test_hostile_spans_are_capped() -> None:
    html = "<table><tr><td rowspan=100000 colspan=x>结果维持</td></tr></table>"
    assert len(grid(html)) == 64


PAGES = [
    "<img src=a.png><p>一、总体情况</p>",
    "<p>一、总体情况</p><img src=a.png>",
    "<img src=a.png>",
    "<img src=a.png><img src=b.png>正文<img src=c.png><img src=d.png>",
    "<p>a<img src=a.png>b</p>\n<table><tr><td>结果维持<img src=b.png></td></tr></table>",
    "",
    "<p>\n</p><img src=a.png>\n\n<p>二、主动公开政府信息情况</p>",
]


@pytest.mark.parametrize("body", PAGES)
def test_body_text_is_lexbors_text_whatever_the_pictures(body: str) -> None:
    page = f"<html><head><title>t</title></head><body>{body}</body></html>"
    expected = LexborHTMLParser(page).body.text(deep=True, separator="\n")
    assert read_html(page).text == expected


def test_pictures_are_counted_between_the_table_headings_only() -> None:
    page = ("<html><body><img src=logo.png><p>二、主动公开政府信息情况</p><p><img src=t2.png></p>"
            "<p>三、收到和处理政府信息公开申请情况</p><img src=t3.png><p>五、存在的主要问题及改进情况</p>"
            "<img src=qr.png></body></html>")
    assert read_html(page).images_in_body == 2


def test_private_use_characters_of_the_page_are_not_pictures() -> None:
    """GBK user-defined characters decode to the private-use area (U+E000…): text, not pictures."""
    page = ("<html><body><p>二、主动公开政府信息情况</p><p>\ue000\ue001</p><img src=t2.png>"
            "<p>五、存在的主要问题及改进情况</p></body></html>")
    doc = read_html(page)
    assert doc.images_in_body == 1
    assert "\ue000\ue001" in doc.text
