"""pdf_grid on hand-made fragments: joining rules at a page break, without drawing a PDF."""

from __future__ import annotations

from extract.readers.pdf_grid import Fragment, Piece, build_table, continues, group_fragments

XS = [70.0, 100.0, 150.0, 250.0, 300.0, 350.0]  # label, group, item, two number columns


Cell = tuple[int, int, int, int, str]  # first row, last row, first col, last col, text


def frag(page: int, cells: list[Cell], top: float = 80.0, h: float = 20.0,
         starts: bool = True, ends: bool = True, shift: float = 0.0) -> Fragment:
    pieces = [Piece((XS[c0] + shift, top + r0 * h, XS[c1 + 1] + shift, top + (r1 + 1) * h), text)
              for r0, r1, c0, c1, text in cells]
    bottom = max(p.box[3] for p in pieces)
    return Fragment(page, (XS[0] + shift, top, XS[-1] + shift, bottom), pieces, starts_page=starts, ends_page=ends)


def texts(frags: list[Fragment]) -> list[list[str]]:
    return [[("~" if c.span_copy else "") + c.text for c in r] for r in build_table(frags, 0).rows]


def test_row_broken_over_the_page_is_merged_back() -> None:
    a = frag(1, [
        (0, 1, 0, 0, "三、结果"), (0, 1, 1, 1, "（五）不予处理"),
        (0, 0, 2, 2, "4.无正当理由"), (0, 0, 3, 3, "0"), (0, 0, 4, 4, "0"),
        (1, 1, 2, 2, "5.要求行政机关确认或重新出"), (1, 1, 3, 3, "1"), (1, 1, 4, 4, "1"),
    ], top=700)
    b = frag(2, [
        (0, 1, 0, 0, ""), (0, 0, 1, 1, ""),
        (0, 0, 2, 2, "具已获取信息"), (0, 0, 3, 3, ""), (0, 0, 4, 4, ""),
        (1, 1, 1, 1, "（六）其他处理"), (1, 1, 2, 2, "1.逾期不补正"), (1, 1, 3, 3, "2"), (1, 1, 4, 4, "2"),
    ])
    assert continues(a, b)
    assert texts([a, b]) == [
        ["三、结果", "（五）不予处理", "4.无正当理由", "0", "0"],
        ["~三、结果", "~（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "1", "1"],
        ["~三、结果", "（六）其他处理", "1.逾期不补正", "2", "2"],
    ]


def test_new_data_row_at_page_top_is_kept() -> None:
    a = frag(1, [(0, 0, 0, 1, "一、本年新收"), (0, 0, 2, 2, ""), (0, 0, 3, 3, "5"), (0, 0, 4, 4, "5")], top=700)
    b = frag(2, [(0, 0, 0, 1, "二、上年结转"), (0, 0, 2, 2, ""), (0, 0, 3, 3, "0"), (0, 0, 4, 4, "0")])
    # Columns come from drawn edges only: no edge at x=100 here, so the label is one column.
    assert texts([a, b]) == [["一、本年新收", "", "5", "5"], ["二、上年结转", "", "0", "0"]]


def test_blank_value_row_at_page_top_is_not_glued() -> None:
    """A printed row whose numbers are blank has its own enumerated label: kept as a row."""
    a = frag(1, [(0, 0, 0, 1, "（三）不予公开"), (0, 0, 2, 2, "1.属于国家秘密"), (0, 0, 3, 3, "3"), (0, 0, 4, 4, "3")],
             top=700)
    b = frag(2, [(0, 0, 0, 1, ""), (0, 0, 2, 2, "2.其他法律行政法规禁止公开"), (0, 0, 3, 3, ""), (0, 0, 4, 4, "")])
    assert texts([a, b]) == [
        ["（三）不予公开", "1.属于国家秘密", "3", "3"],
        ["~（三）不予公开", "2.其他法律行政法规禁止公开", "", ""],
    ]


def test_fragments_far_apart_or_shifted_are_separate_tables() -> None:
    cells: list[Cell] = [(0, 0, 0, 0, "b"), (0, 0, 1, 4, "2")]
    a = frag(1, [(0, 0, 0, 0, "a"), (0, 0, 1, 2, "1"), (0, 0, 3, 4, "x")], top=700)
    assert len(group_fragments([a, frag(3, cells)])) == 2  # not the next page
    assert len(group_fragments([a, frag(2, cells, starts=False)])) == 2  # text above it
    assert len(group_fragments([a, frag(2, cells, shift=40)])) == 2  # other outer edges
    e = frag(2, cells, shift=2.5)  # Word moves edges by a point or two between pages
    assert len(group_fragments([a, e])) == 1
    assert texts([a, e]) == [["a", "1", "x"], ["b", "2", "~2"]]


def test_row_broken_with_its_numbers_on_the_next_page_is_merged_back() -> None:
    """The label's first line fills its cell on page 1 (runs on) and the numbers come with the
    rest of the label on page 2: one row. A label ending on its own line stays a row of blanks."""
    def pages(runs_on: bool) -> list[Fragment]:
        a = frag(1, [(0, 0, 0, 1, "（六）其他处理"), (0, 0, 2, 2, "1.逾期不补正"), (0, 0, 3, 3, "2"), (0, 0, 4, 4, "2"),
                     (1, 1, 0, 1, ""), (1, 1, 2, 2, "2.逾期未按收费通知要求缴纳"), (1, 1, 3, 3, ""), (1, 1, 4, 4, "")],
                 top=700)
        a.pieces[5].runs_on = runs_on
        b = frag(2, [(0, 0, 0, 1, ""), (0, 0, 2, 2, "费用"), (0, 0, 3, 3, "4"), (0, 0, 4, 4, "4")])
        return [a, b]

    assert texts(pages(True)) == [["（六）其他处理", "1.逾期不补正", "2", "2"],
                                  ["", "2.逾期未按收费通知要求缴纳费用", "4", "4"]]
    assert texts(pages(False)) == [["（六）其他处理", "1.逾期不补正", "2", "2"],
                                   ["", "2.逾期未按收费通知要求缴纳", "", ""], ["", "费用", "4", "4"]]
