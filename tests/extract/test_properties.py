"""Random valid tables, rendered as portals print them, extract back to the same values."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from demo import synth
from extract.cells import parse_cell
from extract.document import extract_document
from gongkai.model import CheckStatus
from gongkai.normalize import _HALF_WIDTH, _T2S, half_width

seeds = st.integers(min_value=0, max_value=2**32 - 1)
versions = st.sampled_from(["v2019", "v2021"])
_S2T = __import__("opencc").OpenCC("s2t")


def _values(text: str, name: str):  # type: ignore[no-untyped-def]
    r = extract_document(text if isinstance(text, bytes) else text.encode("utf-8"), name)
    return r, {c.key: c for c in r.cells if not c.derived}


@given(seeds, versions, st.sampled_from(["utf-8", "gb18030", "gbk"]), st.booleans())
def test_html_round_trip(seed: int, version: str, encoding: str, traditional: bool) -> None:
    rep = synth.make_report(random.Random(seed), version=version)
    html = synth.render_html(rep, charset=encoding)
    if traditional:
        html = _S2T.convert(html)
    r, cells = _values(html.encode(encoding), "p.html")
    assert r.format_version == {t: version for t in ("active_disclosure", "applications", "review_litigation")}
    assert {k: c.value for k, c in cells.items()} == rep.values
    assert all(c.status is CheckStatus.PASS for c in r.checks), [c.message for c in r.checks if c.status != "pass"]


@given(seeds, versions)
def test_pipe_stream_round_trip(seed: int, version: str) -> None:
    rep = synth.make_report(random.Random(seed), version=version)
    _r, cells = _values(synth.render_pipe_stream(rep), "p.txt")
    assert {k: c.value for k, c in cells.items()} == rep.values


@given(seeds, versions)
def test_glued_text_never_guesses(seed: int, version: str) -> None:
    """Run-together digits: every value given is right; the others are flagged with the truth among the cuts."""
    rep = synth.make_report(random.Random(seed), version=version)
    _r, cells = _values(synth.render_glued(rep), "g.txt")
    assert set(cells) == set(rep.values)
    for key, want in rep.values.items():
        cell = cells[key]
        if "ambiguous_split" in cell.flags:
            assert cell.value is None
            cands = next(f for f in cell.flags if f.startswith("candidates:")).split(":", 1)[1].split("|")
            assert any(parse_cell(c).value == want for c in cands) or len(cands) >= 20
        else:
            assert cell.value == want, key


@given(st.text(max_size=300))
def test_parse_cell_never_raises(text: str) -> None:
    parse_cell(text)


@given(st.binary(max_size=2000))
def test_extract_never_crashes_on_bytes(data: bytes) -> None:
    r = extract_document(data, "fuzz")
    assert r.status != "crashed", r.errors


def test_identities_catch_any_single_cell_change() -> None:
    rng = random.Random(7)
    rep = synth.make_report(rng, version="v2021")
    t3 = [k for k in rep.values if k[0] == "applications"]
    for key in rng.sample(t3, 25):
        changed = dict(rep.values)
        changed[key] += 1
        rep2 = synth.SynthReport(rep.agency, rep.year, rep.version, changed)
        r, _ = _values(synth.render_html(rep2), "c.html")
        assert any(c.status is CheckStatus.FAIL for c in r.checks), key


def test_t2s_is_opencc() -> None:
    assert _T2S.convert("政府信息公開") == "政府信息公开"


@given(seeds, versions)
def test_space_separated_rows_round_trip(seed: int, version: str) -> None:
    rep = synth.make_report(random.Random(seed), version=version)
    _r, cells = _values(synth.render_text_rows(rep), "rows.txt")
    assert {k: c.value for k, c in cells.items()} == rep.values


@given(seeds, versions)
def test_div_layout_html_round_trip(seed: int, version: str) -> None:
    rep = synth.make_report(random.Random(seed), version=version)
    r, cells = _values(synth.render_div_html(rep), "div.html")
    assert {k: c.value for k, c in cells.items()} == rep.values
    assert any(e.code == "tables_from_text" for e in r.errors)


_FULL_WIDTH_OR_NOT = st.text(st.sampled_from([chr(c) for c in range(0xFF00, 0xFF70)] + list("\u3000\u3001\u3002 a1年，")))


@given(_FULL_WIDTH_OR_NOT)
def test_half_width_is_the_translate_table(text: str) -> None:
    """half_width replaces character by character what str.translate would map (and only that)."""
    assert half_width(text) == text.translate(str.maketrans(_HALF_WIDTH))
    assert half_width("２０２４年，共１２件\u3000（含）") == "2024年,共12件 (含)"
