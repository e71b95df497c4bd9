"""Small hand-written PDFs that ask a reader for far more work than their size suggests."""

from __future__ import annotations

import zlib

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
SIMSUN = b"<< /Type /Font /Subtype /TrueType /BaseFont /SimSun /FirstChar 32 /LastChar 126 >>"  # not embedded


def write(objects: list[bytes]) -> bytes:
    """Objects numbered from 1 (1 = catalog), an xref table and a trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pages(content: bytes, count: int = 1, font: bytes = HELVETICA) -> bytes:
    """`count` pages drawing one shared content stream (object 4) with font /F1."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
    return write([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
                  font, stream(content), *[page] * count])


def forms(levels: int, fan: int) -> bytes:
    """A page drawing a form that draws the next form `fan` times, `levels` deep; the last draws
    one filled square: fan ** (levels - 1) squares from a file of 2 KB."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /X 5 0 R >> >> >>", stream(b"/X Do\n", compress=False)]
    for level in range(levels):
        last = level == levels - 1
        body = b"0 0 1 1 re f\n" if last else b"/X Do\n" * fan
        res = b"" if last else b" /Resources << /XObject << /X %d 0 R >> >>" % (6 + level)
        objs.append(stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]" + res, compress=False))
    return write(objs)
