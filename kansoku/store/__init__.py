"""Storage stage: the ledger database (SQLite by default, PostgreSQL by URL).

store.py    the Store: add an Extraction in one transaction, read documents and events
engine.py   URL resolution, SQLite connection settings, Alembic migrations on open
schema.py   table definitions (created only through migrations/)
rows.py     model records <-> table rows
dedup.py    exact (SHA-256) and near-duplicate (MinHash + LSH) detection
"""

from kansoku.store.engine import default_path, migrate, resolve_url
from kansoku.store.store import AddResult, Store

__all__ = ["AddResult", "Store", "default_path", "migrate", "resolve_url"]
