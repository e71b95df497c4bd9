"""Decide what a downloaded body is from its magic bytes (never trust the extension or header)."""

from __future__ import annotations

import io
import zipfile

__all__ = ["ATTACHMENT_EXTENSIONS", "MIME", "sniff"]

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd", ".rtf", ".et")


MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "ole": "application/x-ole-storage",  # .doc, .xls, .wps: an OLE compound file
    "rtf": "application/rtf",
    "zip": "application/zip",
    "image": "image/*",
}


def sniff(body: bytes) -> str:
    """pdf | docx | xlsx | ofd | zip | ole (doc/xls/wps) | rtf | html | xml | json | image | text | binary | empty"""
    head = body[:1024]
    if not body:
        return "empty"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        except zipfile.BadZipFile:
            return "zip"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.upper() == "OFD.XML" for n in names):
            return "ofd"
        return "zip"
    if head[:8] in (b"\x89PNG\r\n\x1a\n",) or head[:3] == b"\xff\xd8\xff" or head[:4] == b"GIF8":
        return "image"
    low = head.lstrip().lower()
    if low.startswith(b"<?xml"):
        return "xml"
    if low.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<table", b"<p")):
        return "html"
    if low.startswith((b"{", b"[")):
        return "json"
    if b"\x00" in head:
        return "binary"
    return "text"
