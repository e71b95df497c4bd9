"""Reports attributed right: one per agency and year, copies traceable and compared, non-reports kept out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cli.pipeline import build_from_store, ingest
from dataset.build import build
from tests.conftest import DOCS
from tests.dataset.conftest import item, synth_result


def _read(data: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(data / "release" / (name if name in ("checks", "applications") else f"{name}.parquet"))


def test_corpus_reports_are_traceable_to_all_their_documents(corpus_data: Path) -> None:
    reports, docs = _read(corpus_data, "reports"), _read(corpus_data, "documents")
    assert len(docs) == len(list(DOCS.iterdir()))  # every document is in the release
    carried = docs.dropna(subset=["report_id"]).groupby("report_id").size()
    assert (reports.set_index("report_id")["copies"] == carried.reindex(reports["report_id"]).values).all()
    chosen = docs[docs["role"] == "chosen"].set_index("report_id")
    assert (chosen.loc[reports["report_id"], "source_url"].values == reports["source_url"].values).all()
    copies = docs[docs["role"] == "copy"]
    assert len(copies) >= 10 and copies["reason"].str.contains("another copy of").all()
    pingtan = reports[(reports["year"] == 2024).fillna(False) & (reports["agency_name"] == "平潭综合实验区").fillna(False)]
    pingtan_2024 = docs[docs["report_id"] == pingtan["report_id"].iloc[0]]
    assert set(pingtan_2024["source_url"].str.rsplit("/", n=1).str[1]) == {
        "html_2024_fujian_pingtan_gov.html", "textflat_2024_fujian_pingtan_gov.txt"}


def test_corpus_unrelated_reports_never_share_an_agency(corpus_data: Path) -> None:
    reports = _read(corpus_data, "reports")
    unknown = reports[reports["agency_id"].isna()]
    assert len(unknown) >= 4 and unknown["report_id"].is_unique and unknown["report_id"].str.startswith("doc-").all()
    assert not reports.duplicated(["agency_id", "year"]).loc[reports["agency_id"].notna()].any()
    checks = _read(corpus_data, "checks")
    cross = checks[checks["scope"] == "cross_report"]
    assert cross["agency_id"].notna().all()
    assert not cross["report_id"].isin(unknown["report_id"]).any()  # no cross-year check on an unknown agency
    assert not ((cross["rule"] == "T3-X1") & (cross["status"] == "fail")).any()  # the 9 false T3-X1 of #9


def test_corpus_has_no_non_report_in_reports(corpus_data: Path) -> None:
    reports, docs, agencies = _read(corpus_data, "reports"), _read(corpus_data, "documents"), _read(corpus_data, "agencies")
    files = docs["source_url"].str.rsplit("/", n=1).str[1]
    junk = docs[files.str.startswith(("negative_", "docx_template"))]
    assert len(junk) == 3 and (junk["role"] == "not_a_report").all() and junk["report_id"].isna().all()
    assert junk["reason"].notna().all()
    assert not reports["source_url"].isin(junk["source_url"]).any()
    assert not set(agencies["agency_name"]) & {"平潭综合实验区管委会办公室"}
    assert "政府信息公开工作年度报告格式模板" not in set(reports["title"].dropna())
    assert not reports["status"].isin(["not_a_report", "unreadable"]).any()


def test_corpus_year_is_null_when_unknown(corpus_data: Path) -> None:
    reports = _read(corpus_data, "reports")
    assert reports["year"].isna().sum() == 1 and (reports["year"].dropna() >= 2009).all()


def test_corpus_pingtan_short_and_full_names_are_one_agency(corpus_data: Path) -> None:
    aliases = _read(corpus_data, "agency_aliases")
    one = aliases[aliases["alias"].isin(["平潭综合实验区", "平潭综合实验区管委会"])]
    assert len(one) == 2 and one["agency_id"].nunique() == 1
    agencies = _read(corpus_data, "agencies").set_index("agency_id")
    row = agencies.loc[one["agency_id"].iloc[0]]
    assert row["names"] == 2 and row["reports"] >= 14 and (row["first_year"], row["last_year"]) == (2011, 2025)
    assert row["county"] == "平潭县"  # a special area placed by the short name of the county it is in
    county = aliases[aliases["alias"] == "平潭县人民政府"]["agency_id"].iloc[0]
    assert county != one["agency_id"].iloc[0]  # the county government is another organ


def test_copies_that_disagree_are_flagged_with_their_cells(tmp_path: Path) -> None:
    page = synth_result("某县人民政府", 2023)
    attachment = synth_result("某县人民政府", 2023, **{"granted.natural_person": 1, "new_received.natural_person": 1,
                                                      "granted.total": 1, "new_received.total": 1})
    mirror = synth_result("某县人民政府", 2023)  # same bytes as the page, elsewhere
    build(tmp_path, [item(page, "http://a.gov.cn/2023.html"), item(attachment, "http://a.gov.cn/2023.pdf"),
                     item(mirror, "http://mirror.gov.cn/2023.html", "2025-02-01T00:00:00+00:00")])
    reports = _read(tmp_path, "reports")
    assert len(reports) == 1 and reports["copies"].iloc[0] == 3 and reports["copies_disagree"].iloc[0]
    assert reports["source_url"].iloc[0] == "http://mirror.gov.cn/2023.html"  # equal copies: the later capture
    dis = pd.read_parquet(tmp_path / "release" / "disagreements.parquet")
    assert set(zip(dis["row_key"], dis["col_key"], strict=True)) == {
        ("granted", "natural_person"), ("new_received", "natural_person"), ("granted", "total"), ("new_received", "total")}
    assert reports["disagreeing_cells"].iloc[0] == 4
    assert set(dis["source_url"]) == {"http://a.gov.cn/2023.html", "http://a.gov.cn/2023.pdf",
                                      "http://mirror.gov.cn/2023.html"}
    assert dis.groupby(["row_key", "col_key"])["value"].nunique().eq(2).all()
    assert dis["chosen"].sum() == 4
    summary = pd.read_parquet(tmp_path / "release" / "report_summary.parquet")
    assert summary["copies_disagree"].iloc[0]


def test_the_choice_does_not_depend_on_the_order_documents_arrive_in(tmp_path: Path) -> None:
    a, b = synth_result("某县人民政府", 2023), synth_result("某县人民政府", 2023, **{"granted.natural_person": 1})
    same = "2025-01-20T00:00:00+00:00"
    build(tmp_path / "ab", [item(a, "http://x.gov.cn/a.html", same), item(b, "http://x.gov.cn/b.html", same)])
    build(tmp_path / "ba", [item(b, "http://x.gov.cn/b.html", same), item(a, "http://x.gov.cn/a.html", same)])
    assert _read(tmp_path / "ab", "reports")["source_url"].iloc[0] == _read(tmp_path / "ba", "reports")["source_url"].iloc[0]


def test_reports_of_unknown_agency_get_their_own_identity_and_no_cross_year_check(tmp_path: Path) -> None:
    r2022 = synth_result(None, 2022, seed=5)
    r2023 = synth_result(None, 2023, seed=6)
    r2023b = synth_result(None, 2023, seed=7)
    build(tmp_path, [item(r, f"http://x.gov.cn/{i}.html") for i, r in enumerate((r2022, r2023, r2023b))])
    reports = _read(tmp_path, "reports")
    assert len(reports) == 3 and reports["report_id"].is_unique and reports["agency_id"].isna().all()
    assert (reports["copies"] == 1).all()
    checks = _read(tmp_path, "checks")
    assert not (checks["scope"] == "cross_report").any()
    assert len(_read(tmp_path, "agencies")) == 0


def test_a_readme_picked_up_by_ingest_is_not_a_report(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "README.md").write_text("# My downloads\n\nReports I saved in 2023 for the county project.\n",
                                      encoding="utf-8")
    (folder / "seed.txt").write_bytes((DOCS / "seed_yizhou_zhujianju_2024.txt").read_bytes())
    data = tmp_path / "data"
    ingest(data, [folder])
    s = build_from_store(data)
    assert s.reports == 1 and s.agencies == 1
    docs = _read(data, "documents")
    readme = docs[docs["source_url"].str.endswith("README.md")]
    assert len(readme) == 1 and readme["role"].iloc[0] == "not_a_report" and readme["reason"].notna().all()


def test_unknown_extraction_statuses_are_handled(tmp_path: Path) -> None:
    """A status a newer extractor adds (too_complex) never crashes the build: placed when it can be."""
    from gongkai.model import ExtractStatus

    placed = synth_result("某县人民政府", 2023)
    placed.status = "too_complex"  # type: ignore[assignment]
    unplaced = synth_result(None, 2022)
    unplaced.status = "too_complex"  # type: ignore[assignment]
    good = synth_result("某县人民政府", 2023, seed=3)
    good.status = ExtractStatus.PARTIAL
    build(tmp_path, [item(placed, "http://x.gov.cn/a.html"), item(unplaced, "http://x.gov.cn/b.html"),
                     item(good, "http://x.gov.cn/c.html")])
    docs = _read(tmp_path, "documents").set_index("source_url")
    assert docs.loc["http://x.gov.cn/c.html", "role"] == "chosen"  # partial beats an unknown status
    assert docs.loc["http://x.gov.cn/a.html", "role"] == "copy"
    assert docs.loc["http://x.gov.cn/b.html", "role"] == "not_a_report"
