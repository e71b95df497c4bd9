import json

from gongkai.demo import run_demo


def test_demo_extracts_every_sample(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = run_demo(tmp_path)
    lines = [json.loads(x) for x in s.output.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == s.documents == 17
    by_name = {d["source"].rsplit("/", 1)[-1]: d for d in lines}
    assert by_name["empty_download.html"]["status"] == "unreadable"
    bad = by_name["inconsistent_2024.html"]
    assert any(c["status"] == "fail" and c["rule"] in ("T3-A", "T3-B", "T3-C") for c in bad["checks"])
    assert all(d["status"] in ("extracted", "extracted_with_issues") for n, d in by_name.items()
               if n.endswith(".html") and n[0].isdigit())
