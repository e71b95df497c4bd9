"""The raw store: captured bytes in WARC files, indexed (and crawl state kept) in SQLite."""

from gongkai.store.raw import RawStore, StoredDocument
from gongkai.store.state import FrontierItem, StateDB

__all__ = ["FrontierItem", "RawStore", "StateDB", "StoredDocument"]
