"""What a crawl run reports back: counts per source, whether the run finished, errors of ours."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CrawlSummary", "SourceStats"]


@dataclass
class SourceStats:
    pages: int = 0
    reports: int = 0
    attachments: int = 0
    new: int = 0
    changed: int = 0
    not_modified: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0
    linked_reports: int = 0  # --probe: report links on the entry page
    linked_lists: int = 0  # --probe: further list pages / columns linked from it


@dataclass
class CrawlSummary:
    run_id: int
    resumed: bool
    requests: int = 0
    finished: bool = False
    pending: int = 0
    sources: dict[str, SourceStats] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def stats(self, source: str) -> SourceStats:
        return self.sources.setdefault(source, SourceStats())
