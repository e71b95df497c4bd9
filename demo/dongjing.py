"""A TRS "动静结合" column for the demo portal, as Fujian's consolidated platform serves them (see
crawler/discover/trsapi.py and tests/crawler/fixtures/fj_pingtan_zfxxgknb.html): the first page of
records is static HTML, the rest comes from `POST /fjdzapp/search` configured for `list2.trsapi`."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from demo.report import report_html
from demo.server import Req, Resp, Site, serve

__all__ = ["dongjing_site"]

_UNITS = ("区财政局", "区教育局", "区民政局", "区审计局", "区司法局", "区统计局", "苏澳镇人民政府", "流水镇人民政府",
          "潭城镇人民政府", "区自然资源局", "区卫生健康局", "区人力资源和社会保障局", "中楼乡人民政府")


def dongjing_site(total: int = 13, per_page: int = 5) -> tuple[Site, str, str, set[str], Callable[[], None]]:
    """(site, base, entry, report URLs, stop). One record in the column is a 解读, never a report."""
    site = Site("demo-dongjing")
    base, stop = serve(site)
    col = "/zwgk/zfxxgk/zfxxgknb/"
    docs = []
    reports: set[str] = set()
    for i in range(total):
        path = f"{col}2024{1 + i % 9:02d}/t20240{1 + i % 9}1{i % 10}_{90000 + i}.htm"
        unit = _UNITS[i % len(_UNITS)]
        year = 2023 - (i // 6)
        if i == 7:
            title = f"{year}年政府信息公开工作年度报告解读"
            site.html(path, f"<html><body><h1>{title}</h1><p>一图读懂。</p></body></html>")
        else:
            title = f"{unit}{year}年度政府信息公开工作年度报告"
            site.html(path, report_html(unit, year))
            reports.add(base + path)
        docs.append({"doctitle": title, "chnldocurl": base + path, "docpuburl": base + path,
                     "docreltime": f"{year + 1}.01.2{i % 10} 10:00:00", "files": []})
    static = "".join(f'<dl><dd><a href=".{d["chnldocurl"][len(base) + len(col) - 1:]}" target="_blank" '
                     f'title="{d["doctitle"]}">{d["doctitle"]}</a></dd></dl>' for d in docs[:per_page])
    script = ("<script>var SiteInfo = { searchId: 200210 };</script><script>require(['list2.trsapi'], "
              "function(listModel) { listModel({ quickMode: '动静结合', maxStaticIndex: 1, listArgs: "
              "{ channelid: SiteInfo.searchId, classsql: '' || 'chnlid=1813', sortfield: '-docorderpri,-docreltime' }, "
              f"listApi: {{ url: '/fjdzapp/search' }}, pagebar: {{ prepage: {per_page}, recordCount: '{total}' }} }}); }});</script>")
    site.html(col, f"<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body>"
                   f'<div class="rules_tabs_01" ms-visible="showStatic">{static}</div>'
                   f'<div ms-visible="!showStatic"><dl ms-repeat="list"><dd><a ms-attr-href="el.chnldocurl"></a></dd></dl></div>'
                   f"{script}</body></html>")
    pages = -(-total // per_page)

    def search(req: Req) -> Resp:
        if req.method != "POST" or req.form.get("classsql") != "chnlid=1813" or urlsplit(req.path).path != "/fjdzapp/search":
            return Resp(400, b'{"error": true}')
        n = int(req.form.get("page", "1"))
        size = int(req.form.get("prepage", str(per_page)))
        body = {"error": False, "page": n, "prepage": size, "pageCount": pages, "recordCount": total,
                "data": docs[(n - 1) * size: n * size]}
        return Resp(200, json.dumps(body, ensure_ascii=False).encode(), {"Content-Type": "application/json;charset=UTF-8"})

    site.add("/fjdzapp/search", search)
    return site, base, base + col, reports, stop
