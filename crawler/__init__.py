"""Collect 政府信息公开工作年度报告 from government portals into the raw store (gongkai.store).

Entry points: `crawler.run.Crawler` / `crawler.run.crawl` (library), `cli.crawl` (the `crawl` and
`demo` subcommands, in the top layer), `demo.portal.serve_demo` (the sample portal). See crawler/README.md.
"""
