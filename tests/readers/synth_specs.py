"""Table specs shaped like the form's tables, filled with random valid numbers."""

from __future__ import annotations

import random

from extract.synth_office import TableSpec

GROUPS = [
    ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”"]),
    ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请"]),
]


def _numbers(rng: random.Random, n: int) -> list[str]:
    values = [rng.choice([0, 0, rng.randint(1, 9), rng.randint(10, 99999)]) for _ in range(n - 1)]
    return [str(v) for v in values] + [str(sum(values))]


def applications_spec(rng: random.Random) -> TableSpec:
    """A cut-down 表三: 3 header rows with the form's merges, grouped result rows."""
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows = [
        [note, "", "", "申请人情况", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "总计"],
        ["", "", "", "", "商业企业", "其他", ""],
        ["一、本年新收政府信息公开申请数量", "", "", *_numbers(rng, 4)],
    ]
    merges = [(0, 0, 2, 2), (0, 3, 0, 6), (1, 3, 2, 3), (1, 4, 1, 5), (1, 6, 2, 6), (3, 0, 3, 2)]
    start = len(rows)
    for group, items in GROUPS:
        first = len(rows)
        for item in items:
            rows.append(["", group if len(rows) == first else "", item, *_numbers(rng, 4)])
        merges.append((first, 1, len(rows) - 1, 1))
    rows[start][0] = "三、本年度办理结果"
    merges.append((start, 0, len(rows) - 1, 0))
    rows.append(["四、结转下年度继续办理", "", "", *_numbers(rng, 4)])
    merges.append((len(rows) - 1, 0, len(rows) - 1, 2))
    return TableSpec(rows, merges, col_widths=[24, 45, 185, 45, 45, 45, 62])


def review_spec(rng: random.Random) -> TableSpec:
    """表四: a three-level header over 15 numbers."""
    leaf = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    numbers: list[str] = []
    for _ in range(3):
        numbers += _numbers(rng, 5)
    rows = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        [*leaf, "未经复议直接起诉", *[""] * 4, "复议后起诉", *[""] * 4],
        ["", "", "", "", "", *leaf, *leaf],
        numbers,
    ]
    merges = [(0, 0, 0, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)] + [(1, c, 2, c) for c in range(5)]
    return TableSpec(rows, merges, col_widths=[30.0] * 15)


def active_spec(rng: random.Random) -> TableSpec:
    """表二 (v2021): block headings across the table, one-value blocks as colspans."""
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []

    def block(heading: str, cols: list[str], labels: list[str]) -> None:
        rows.append([heading, "", "", ""])
        merges.append((len(rows) - 1, 0, len(rows) - 1, 3))
        if len(cols) == 1:
            rows.append(["信息内容", cols[0], "", ""])
            merges.append((len(rows) - 1, 1, len(rows) - 1, 3))
            for label in labels:
                value = rng.choice([str(rng.randint(0, 4_000_000)), f"{rng.randint(0, 99999)}.{rng.randint(1, 9)}", ""])
                rows.append([label, value, "", ""])
                merges.append((len(rows) - 1, 1, len(rows) - 1, 3))
        else:
            rows.append(["信息内容", *cols])
            for label in labels:
                rows.append([label, *[str(rng.randint(0, 99)) for _ in cols]])

    block("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"])
    block("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"])
    block("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"])
    block("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"])
    return TableSpec(rows, merges, col_widths=[130, 60, 60, 60])
