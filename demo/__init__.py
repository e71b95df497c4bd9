"""The offline sample portal and the report generators it serves (also test and benchmark fixtures).

`demo.synth` makes consistent report tables, `demo.synth_office` renders them as DOCX and PDF,
`demo.report` turns them into portal pages, `demo.server` is the loopback HTTP server and
`demo.portal` assembles the sample sites that `gongkai demo` crawls.
"""
