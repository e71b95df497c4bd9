"""IRI → URI (RFC 3987 §3.1): non-ASCII characters of path, query and fragment become UTF-8
percent-escapes, a non-ASCII host becomes IDNA. Requests and WARC headers carry the URI; portals link
`/附件/2024年报告.pdf` and `?name=年报` as IRIs; the IRI as linked is kept by the caller.

The query of a URL found on a page in a legacy charset (GBK) is encoded as a browser encodes it: in
the page's charset (WHATWG URL parser, "percent-encode after encoding" with the document's
encoding; a character the charset lacks becomes `%26%23N%3B`, i.e. `&#N;`). Paths and fragments are
always UTF-8, as in browsers."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = ["iri_to_uri", "percent_encode"]

# RFC 3986 characters kept as they are (and existing %-escapes); everything else is encoded
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/?:@!$&'()*+,;=-._~%"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _char_bytes(ch: str, encoding: str) -> bytes | None:
    """`ch` in `encoding`, or None when the charset lacks it. "gbk" is WHATWG's GBK encoder:
    GB18030's two-byte codes and the euro sign as 0x80 (Python's gbk codec has no euro sign)."""
    if encoding == "gbk":
        if ch == "\u20ac":
            return b"\x80"
        try:
            b = ch.encode("gb18030")
        except UnicodeEncodeError:
            return None
        return b if len(b) == 2 and ch != "\ue5e5" else None
    try:
        return ch.encode(encoding)
    except UnicodeEncodeError:
        return None


def percent_encode(text: str, encoding: str, safe: str, *, space_as_plus: bool = False) -> str:
    """WHATWG "percent-encode after encoding": ASCII outside `safe` and every byte of a non-ASCII
    character in `encoding` become %XX; a character the charset lacks becomes `%26%23N%3B` (&#N;)."""
    if encoding == "utf-8" and not space_as_plus:
        return quote(text, safe=safe, encoding="utf-8", errors="surrogatepass")
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append("+" if ch == " " and space_as_plus else quote(ch, safe=safe))
            continue
        b = _char_bytes(ch, encoding) if encoding != "utf-8" else ch.encode("utf-8", "surrogatepass")
        out.append(quote(b, safe="") if b is not None else f"%26%23{ord(ch)}%3B")
    return "".join(out)


def _pct(text: str, safe: str, encoding: str = "utf-8") -> str:
    text = _ESCAPE.sub(lambda m: m.group(0).upper(), text)  # %e5 and %E5 are the same escape
    # a lone "%" not starting an escape is itself encoded
    text = re.sub(r"%(?![0-9A-F]{2})", "%25", text)
    return percent_encode(text, "utf-8" if text.isascii() else encoding, safe)


def _host(host: str) -> str:
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return quote(host, safe="")  # not a valid name: the request fails and says so, nothing crashes


def iri_to_uri(iri: str, query_encoding: str = "utf-8") -> str:
    """The URI form of `iri`; ASCII URIs come back unchanged except for escape case and stray '%'.
    `query_encoding`: the charset of the page the IRI was found on (its query is encoded in it)."""
    if iri.isascii() and "%" not in iri:
        return iri
    parts = urlsplit(iri)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, _, hostport = netloc.rpartition("@")
        host, sep, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
        netloc = (userinfo + "@" if userinfo else "") + _host(host.lower()) + (sep + port if sep else "")
    return urlunsplit((parts.scheme, netloc, _pct(parts.path, _PATH_SAFE), _pct(parts.query, _QUERY_SAFE, query_encoding),
                       _pct(parts.fragment, _QUERY_SAFE)))
