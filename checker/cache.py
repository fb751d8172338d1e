"""A persistent embedding cache: each distinct sentence is embedded once per model, ever.

Vectors live in one SQLite file (``embeddings.sqlite3``) under the cache directory, keyed by
sha256(model identity, text). The model identity is the embedder's name plus a content
fingerprint of its model directory when it has one, so a retrained model with the same name
never reuses the old vectors.

Robustness: every write is one SQLite transaction, so an interrupted run leaves the cache as
it was before the run. Each row carries a checksum of its key, length and bytes; a row that fails
it is re-computed, and a file SQLite cannot read is deleted and started afresh. Problems never
fail the run and never print: they are collected in :attr:`CachedEmbedder.warnings` for the
caller to show.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from checker.embed import Embedder

CACHE_FILE = "embeddings.sqlite3"
SCHEMA_VERSION = 1
_LOOKUP_CHUNK = 500
_FINGERPRINT_BLOCK = 1 << 20


# --------------------------------------------------------------------------- model identity


def embedder_identity(embedder: Embedder) -> str:
    """``name`` or ``name@fingerprint``: equal identities give equal vectors for equal texts.

    An embedder may declare its own ``identity``; otherwise a ``model_path`` directory, when it
    has one, is fingerprinted by content (file names and bytes), which survives reinstalls that
    only change timestamps.
    """
    declared = getattr(embedder, "identity", None)
    if isinstance(declared, str) and declared:
        return declared
    model_path = getattr(embedder, "model_path", None)
    if isinstance(model_path, (str, os.PathLike)) and Path(model_path).is_dir():
        return f"{embedder.name}@{model_fingerprint(Path(model_path))}"
    return embedder.name


def model_fingerprint(directory: Path) -> str:
    """A short content hash of every file under a model directory (memoised per process)."""
    directory = directory.resolve()
    signature = tuple(
        (relative, status.st_size, status.st_mtime_ns) for relative, status in _model_files(directory)
    )
    return _fingerprint(directory, signature)


def _model_files(directory: Path) -> list[tuple[str, os.stat_result]]:
    found = []
    for root, subdirectories, files in os.walk(directory):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in files:
            path = Path(root, name)
            found.append((path.relative_to(directory).as_posix(), path.stat()))
    return sorted(found)


@lru_cache(maxsize=8)
def _fingerprint(directory: Path, signature: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for relative, size, _ in signature:
        digest.update(f"{relative}\0{size}\0".encode())
        with open(directory / relative, "rb") as handle:
            while block := handle.read(_FINGERPRINT_BLOCK):
                digest.update(block)
    return digest.hexdigest()[:16]


# --------------------------------------------------------------------------- the cache


class CacheCorrupt(Exception):
    """Internal: the cache file cannot be trusted and is rebuilt."""


class CachedEmbedder:
    """An :class:`~checker.embed.Embedder` that remembers every vector it has computed.

    ``encode`` sends only the texts it has not seen (for this model) to ``inner.encode``, in a
    single batch, and returns all vectors in input order. ``hits`` and ``misses`` count texts
    served from the cache and computed; ``warnings`` collects what the caller should tell the user.
    """

    def __init__(self, inner: Embedder, directory: Path) -> None:
        self.inner = inner
        self.directory = Path(directory)
        self.name = inner.name
        self.path = self.directory / CACHE_FILE
        self.hits = 0
        self.misses = 0
        self.warnings: list[str] = []
        self._identity: str | None = None
        self._connection: sqlite3.Connection | None = None
        self._disabled = False
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        """The inner embedder's identity (computed on first use: fingerprinting reads the model files)."""
        if self._identity is None:
            self._identity = embedder_identity(self.inner)
        return self._identity

    def take_warnings(self) -> list[str]:
        """The warnings gathered so far, clearing them."""
        warnings, self.warnings = self.warnings, []
        return warnings

    def __enter__(self) -> CachedEmbedder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # ----------------------------------------------------------------------- encode

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        keys = [self._key(text) for text in texts]
        with self._lock:
            found, dimensions = self._lookup(set(keys))
            missing: dict[bytes, str] = {}
            for key, text in zip(keys, texts):
                if key not in found and key not in missing:
                    missing[key] = text
            if missing:
                computed = self._compute(list(missing.values()))
                if dimensions is not None and computed.shape[1] != dimensions:
                    # The model changed under the same identity (no directory to fingerprint): every
                    # stored vector of this identity is stale, so the hits are computed again too.
                    self._warn(
                        f"embedding cache at {self.path}: model {self.name!r} now gives "
                        f"{computed.shape[1]}-dimensional vectors, the cache held {dimensions}; re-computed them"
                    )
                    self._forget_model()
                    found = {}
                    missing = dict(zip(keys, texts))
                    computed = self._compute(list(missing.values()))
                fresh = dict(zip(missing, computed))
                self._store(fresh)
                found.update(fresh)
        computed_count = sum(key in missing for key in keys)
        self.misses += computed_count
        self.hits += len(keys) - computed_count
        return np.ascontiguousarray(np.stack([found[key] for key in keys]), dtype=np.float32)

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.identity}\0{text}".encode("utf-8", "surrogatepass")).digest()

    def _compute(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.inner.encode(texts), dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise ValueError(f"embedder {self.name!r} returned shape {vectors.shape} for {len(texts)} texts")
        return vectors

    # ----------------------------------------------------------------------- storage

    def _lookup(self, keys: set[bytes]) -> tuple[dict[bytes, np.ndarray], int | None]:
        def read(connection: sqlite3.Connection) -> tuple[dict[bytes, np.ndarray], int | None]:
            row = connection.execute("SELECT dimensions FROM models WHERE identity = ?", (self.identity,)).fetchone()
            dimensions = int(row[0]) if row else None
            found: dict[bytes, np.ndarray] = {}
            bad = 0
            if dimensions is None:
                return found, None
            ordered = list(keys)
            for start in range(0, len(ordered), _LOOKUP_CHUNK):
                chunk = ordered[start : start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                for key, size, blob, check in connection.execute(
                    f"SELECT key, dimensions, vector, checksum FROM vectors WHERE key IN ({marks})", chunk
                ):
                    if size != dimensions or len(blob) != 4 * size or check != _checksum(key, size, blob):
                        bad += 1
                        continue
                    found[key] = np.frombuffer(blob, dtype="<f4")
            if bad:
                self._warn(f"embedding cache at {self.path}: {bad} damaged vector(s) were re-computed")
            return found, dimensions

        return self._with_connection(read, default=({}, None))

    def _store(self, vectors: dict[bytes, np.ndarray]) -> None:
        if not vectors:
            return
        dimensions = len(next(iter(vectors.values())))

        def write(connection: sqlite3.Connection) -> None:
            rows = []
            for key, vector in vectors.items():
                blob = np.ascontiguousarray(vector, dtype="<f4").tobytes()
                rows.append((key, dimensions, blob, _checksum(key, dimensions, blob)))
            with _transaction(connection):
                connection.execute(
                    "INSERT OR REPLACE INTO models (identity, dimensions) VALUES (?, ?)", (self.identity, dimensions)
                )
                connection.executemany(
                    "INSERT OR REPLACE INTO vectors (key, dimensions, vector, checksum) VALUES (?, ?, ?, ?)", rows
                )

        self._with_connection(write, default=None)

    def _forget_model(self) -> None:
        def forget(connection: sqlite3.Connection) -> None:
            with _transaction(connection):
                connection.execute("DELETE FROM models WHERE identity = ?", (self.identity,))

        self._with_connection(forget, default=None)

    def _with_connection(self, action, default):  # type: ignore[no-untyped-def]
        """Run ``action`` on the database; rebuild it once if it is unreadable, else carry on without it."""
        for attempt in range(2):
            if self._disabled:
                return default
            try:
                return action(self._connect())
            except (sqlite3.DatabaseError, CacheCorrupt) as error:
                if _is_transient(error):
                    self._warn(f"embedding cache at {self.path} is busy ({error}); not using it for this batch")
                    return default
                if isinstance(error, sqlite3.OperationalError) and not _is_corruption(error):
                    self._warn(f"embedding cache at {self.path} is not usable ({error}); running without it")
                    self._disabled = True
                    return default
                self._warn(f"embedding cache at {self.path} was unreadable ({error}); rebuilt it")
                self._reset()
            except OSError as error:
                self._warn(f"embedding cache at {self.path} is not usable ({error}); running without it")
                self._disabled = True
                return default
        return default

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        self.directory.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            # WAL: readers never wait for a writer, and with synchronous=NORMAL a crash loses at most
            # the last batch, never the file. Where WAL is unavailable SQLite keeps its rollback journal.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA mmap_size=1073741824")
            connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = connection.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is not None and row[0] != str(SCHEMA_VERSION):
                raise CacheCorrupt(f"schema version {row[0]}, expected {SCHEMA_VERSION}")
            with _transaction(connection):
                connection.execute(
                    "INSERT OR IGNORE INTO meta (name, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
                )
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS models (identity TEXT PRIMARY KEY, dimensions INTEGER NOT NULL)"
                )
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, dimensions INTEGER NOT NULL, "
                    "vector BLOB NOT NULL, checksum BLOB NOT NULL)"
                )
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _reset(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.remove(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as error:
                self._warn(
                    f"cannot remove the damaged embedding cache {self.path}{suffix} ({error}); running without it"
                )
                self._disabled = True
                return

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


class _transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (autocommit connections)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback) -> None:  # type: ignore[no-untyped-def]
        if kind is None:
            self.connection.execute("COMMIT")
        elif self.connection.in_transaction:
            self.connection.execute("ROLLBACK")


def _checksum(key: bytes, dimensions: int, blob: bytes) -> bytes:
    return hashlib.blake2b(key + dimensions.to_bytes(4, "little") + blob, digest_size=8).digest()


def _is_transient(error: Exception) -> bool:
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


_CORRUPTION_WORDS: Iterable[str] = ("malformed", "not a database", "corrupt", "no such table", "no such column")


def _is_corruption(error: Exception) -> bool:
    text = str(error).lower()
    return any(word in text for word in _CORRUPTION_WORDS)
