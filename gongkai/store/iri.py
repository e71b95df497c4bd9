"""IRI → URI (RFC 3987 §3.1): non-ASCII characters of path, query and fragment become UTF-8
percent-escapes, a non-ASCII host becomes IDNA. Requests and WARC headers carry the URI; portals link
`/附件/2024年报告.pdf` and `?name=年报` as IRIs."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = ["iri_to_uri"]

# RFC 3986 characters kept as they are (and existing %-escapes); everything else is encoded
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/?:@!$&'()*+,;=-._~%"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _pct(text: str, safe: str) -> str:
    text = _ESCAPE.sub(lambda m: m.group(0).upper(), text)  # %e5 and %E5 are the same escape
    # a lone "%" not starting an escape is itself encoded
    text = re.sub(r"%(?![0-9A-F]{2})", "%25", text)
    return quote(text, safe=safe, encoding="utf-8", errors="strict")


def _host(host: str) -> str:
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return quote(host, safe="")  # not a valid name: the request fails and says so, nothing crashes


def iri_to_uri(iri: str) -> str:
    """The URI form of `iri`; ASCII URIs come back unchanged except for escape case and stray '%'."""
    if iri.isascii() and "%" not in iri:
        return iri
    parts = urlsplit(iri)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, _, hostport = netloc.rpartition("@")
        host, sep, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
        netloc = (userinfo + "@" if userinfo else "") + _host(host.lower()) + (sep + port if sep else "")
    return urlunsplit((parts.scheme, netloc, _pct(parts.path, _PATH_SAFE), _pct(parts.query, _QUERY_SAFE),
                       _pct(parts.fragment, _QUERY_SAFE)))
