"""Shared types for discovery: a fetched Page in, Links out. Discovery never fetches and never raises."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

__all__ = ["Anchor", "Link", "ListingNote", "Markup", "Page", "anchors", "live_markup", "page_title", "same_site",
           "scoped_anchors"]


class Markup:
    """A page's DOM and anchors, parsed once and shared by every parser, and by the readings of one
    page as a list and as a report (`dataclasses.replace(page, kind=...)` keeps the same Markup)."""

    __slots__ = ("_anchors", "_tree", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._tree: LexborHTMLParser | None = None
        self._anchors: dict[str, list[Anchor]] = {}

    @property
    def tree(self) -> LexborHTMLParser:
        if self._tree is None:
            self._tree = LexborHTMLParser(self.text)
        return self._tree

    def anchors(self, base: str) -> list[Anchor]:
        if base not in self._anchors:
            self._anchors[base] = _tree_anchors(self.tree, base)
        return self._anchors[base]


@dataclass(frozen=True)
class Page:
    url: str  # final URL after redirects
    text: str  # decoded body
    content_type: str
    kind: str  # frontier kind that fetched it: list | report
    depth: int = 0
    form: dict[str, str] | None = None  # the POST body that produced this page (Hanweb dataproxy)
    overrides: dict[str, object] = field(default_factory=dict)
    max_list_pages: int = 100  # bound on the pages generated for one listing (what it declares, capped)
    # the charset of the page's URLs' queries and forms (crawler.charset); for an API response, the
    # charset of the page that asked (its records are rendered into that page)
    charset: str = "utf-8"
    in_listing: bool = False  # fetched as a page of a declared listing (its records are counted)
    markup: Markup = field(default=None, compare=False, repr=False)  # type: ignore[assignment]  # set below

    def __post_init__(self) -> None:
        if self.markup is None or self.markup.text is not self.text:
            object.__setattr__(self, "markup", Markup(self.text))

    @property
    def anchors(self) -> list[Anchor]:
        """The page's anchors (parsed once per page)."""
        return self.markup.anchors(self.url)


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # list | report | attachment
    title: str | None = None
    report_year: int | None = None
    family: str = "generic"
    method: str = "GET"
    form: dict[str, str] | None = None
    same_depth: bool = True  # pagination keeps the depth; entering a column adds one
    parent_url: str | None = None  # when the link belongs to another page (API-listed attachments)
    reason: str = ""  # why: the classifier's rule for titles, the pager for page links
    listing: str | None = None  # the ListingNote key of the listing this page link belongs to
    charset: str | None = None  # query and form encoding; None: the charset of the page it was found on


@dataclass(frozen=True)
class Anchor:
    url: str
    text: str
    title: str


def anchors(html: str, base: str) -> list[Anchor]:
    """Anchors of an HTML fragment (a Hanweb record, a scoped list); a Page's own are `page.anchors`."""
    return _tree_anchors(LexborHTMLParser(html), base)


def _tree_anchors(tree: LexborHTMLParser, base: str) -> list[Anchor]:
    base_el = tree.css_first("base[href]")
    if base_el is not None:
        base = urljoin(base, base_el.attributes.get("href") or "")
    out: list[Anchor] = []
    parts = urlsplit(base)
    root = f"{parts.scheme}://{parts.netloc}"
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:", "tel:")):
            continue
        if href.startswith(("http://", "https://")) and "/." not in href:
            url = href  # already absolute (urljoin would only re-split it)
        elif href.startswith("/") and not href.startswith("//") and "/." not in href:
            url = root + href
        else:
            url = urljoin(base, href)
        out.append(Anchor(url.split("#", 1)[0], a.text(strip=True), (a.attributes.get("title") or "").strip()))
    for el in tree.css("iframe[src], embed[src]"):
        src = (el.attributes.get("src") or "").strip()
        if src:
            out.append(Anchor(urljoin(base, src), "", ""))
    return out


def scoped_anchors(page: Page, selector: str) -> list[Anchor]:
    """Anchors inside the elements matching a CSS selector (a registry `list_selector`)."""
    try:
        nodes = page.markup.tree.css(selector)
    except Exception:  # a bad selector in the registry: no scoping rather than no links
        return page.anchors
    return [a for node in nodes for a in anchors(node.html or "", page.url)]


def same_site(a: str, b: str) -> bool:
    return urlsplit(a).netloc.lower() == urlsplit(b).netloc.lower()


@dataclass(frozen=True)
class ListingNote:
    """What a page declares about the listing it belongs to (a column paged by script, API or pager),
    so the crawl can tell whether it found everything: declared records or pages versus those seen."""

    key: str  # the same for every page of one listing (API URL + column, pager directory + name)
    family: str
    declared_records: int | None = None  # "recordCount: '20'", "totalRecord: 100", post_count, 共N条
    declared_pages: int | None = None  # createPageHTML(N, …), countPage = N, 尾页 index_N
    records: int | None = None  # records listed on this page (counted where the markup says what a record is)
    planned_pages: int = 0  # further pages this page asked for (after the bound)
    bounded: bool = False  # the listing declares more pages than the bound allows
    detail: str = ""
    gap: str | None = None  # why the rest of the listing cannot be fetched ("list API not declared")


def page_title(page: Page) -> str | None:
    """The document's own title: TRS `ArticleTitle` meta, else the first <h1>, else <title>."""
    tree = page.markup.tree
    meta = tree.css_first('meta[name="ArticleTitle"]')
    if meta is not None and (meta.attributes.get("content") or "").strip():
        return (meta.attributes.get("content") or "").strip()
    for sel in ("h1", "title"):
        node = tree.css_first(sel)
        if node is not None and node.text(strip=True):
            return node.text(strip=True)
    return None


_SCRIPT_OR_COMMENT = re.compile(r"(<script\b.*?</script\s*>)|<!--.*?-->", re.S | re.I)


def live_markup(html: str) -> str:
    """The page without its HTML comments (commented-out pagers and notes are not the page's
    configuration), scripts kept whole (old pages wrap script bodies in <!-- … //-->)."""
    if "<!--" not in html:
        return html
    return _SCRIPT_OR_COMMENT.sub(lambda m: m.group(1) or "", html)
