"""The URL a crawl requests and the key of its seen set. In the core because the crawl state needs them
too: a named migration re-keys frontiers written before twins were collapsed (`state.py`).

A query is never decoded and re-encoded: its escapes may be GBK bytes (`?name=%C4%EA%B1%A8`), which a
UTF-8 round trip would turn into U+FFFD. Parameters are dropped or replaced on the raw text."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit, urlunsplit

from gongkai.store.iri import iri_to_uri

__all__ = ["canonical_url", "query_keys", "query_without", "twin_key", "with_param"]

_DROP_PARAMS = {"ismobile", "from", "spm"}
_INDEX = re.compile(r"^(?:index|default)\.(?:s?html?|jsp|php|asp)$", re.I)
# escapes of unreserved characters (%7E for "~"), which RFC 3986 §6.2.2.2 says to decode
_UNRESERVED_ESCAPE = re.compile(r"%(2[DdEe]|3[0-9]|[46][1-9A-Fa-f]|[57][0-9Aa]|5[Ff]|7[Ee])")


def _key_of(pair: str) -> str:
    return unquote(pair.split("=", 1)[0].replace("+", " "), errors="replace")


def query_keys(query: str) -> list[str]:
    """The parameter names of a query, in order."""
    return [_key_of(p) for p in query.split("&") if p]


def query_without(query: str, names: set[str]) -> str:
    """The query without the parameters named (compared case-insensitively), the rest as written."""
    pairs = query.split("&")
    kept = [p for p in pairs if not p or _key_of(p).lower() not in names]
    return query if len(kept) == len(pairs) else "&".join(p for p in kept if p)


def with_param(query: str, name: str, value: str) -> str | None:
    """The query with the first `name` parameter set to `value` (ASCII), the rest as written; None
    when it has no such parameter."""
    pairs = query.split("&")
    for i, p in enumerate(pairs):
        if _key_of(p) == name:
            pairs[i] = p.split("=", 1)[0] + "=" + value
            return "&".join(pairs)
    return None


def canonical_url(url: str, query_encoding: str = "utf-8") -> str:
    """The URL to request: fragment dropped, `_wap` pages and `?isMobile=true` collapsed, default
    ports dropped, host lower-cased, IRI characters percent-encoded (RFC 3987; the query in the
    charset of the page it was found on, as browsers do)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: kept as written, the fetch reports it
        return iri_to_uri(urlunsplit((scheme, parts.netloc.lower(), parts.path or "/", parts.query, "")),
                          query_encoding)
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = re.sub(r"_wap(\.s?html?)$", r"\1", parts.path or "/")
    query = query_without(parts.query, _DROP_PARAMS) if parts.query else ""
    return iri_to_uri(urlunsplit((scheme, netloc, path, query, "")), query_encoding)


def twin_key(url: str) -> str:
    """The seen-set key: `dir/index.html` (index.htm, index.shtml, default.html …) is the same page
    as `dir/`, and `%7e` the same as `~`; the URL requested stays the one first linked."""
    c = canonical_url(url)
    parts = urlsplit(c)
    path = parts.path
    if _INDEX.match(posixpath.basename(path)):
        path = path[: len(path) - len(posixpath.basename(path))]
    path = _UNRESERVED_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), path)  # RFC 3986 §6.2.2.2
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
