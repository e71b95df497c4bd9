"""The web explorer of `gongkai serve`: the release in Datasette for people who don't write SQL.

database.py builds the SQLite copy Datasette reads; metadata.py its titles, descriptions, facets
and canned queries; plugin.py the agency pages, Chinese labels beside keys and links; chart.py the
server-side SVG chart (no script, no network); templates/ and static/ the pages.
"""
