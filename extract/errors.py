"""Errors a reader may raise; `extract.document` turns them into a per-document status."""

from __future__ import annotations

from gongkai.model import ExtractStatus


class ExtractError(Exception):
    status: ExtractStatus = ExtractStatus.UNREADABLE

    def __init__(self, message: str, status: ExtractStatus | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class UnreadableError(ExtractError):
    status = ExtractStatus.UNREADABLE


class UnsupportedFormatError(ExtractError):
    status = ExtractStatus.UNSUPPORTED_FORMAT


class NeedsOcrError(ExtractError):
    status = ExtractStatus.NEEDS_OCR


class TooComplexError(ExtractError):
    """The document asks for more work than a report can need (millions of drawing operators,
    thousands of pages): refused with a message rather than read for minutes."""

    status = ExtractStatus.TOO_COMPLEX
