"""Exact and near-duplicate detection over normalized document text.

Exact duplicates share the SHA-256 of the normalized text. Near-duplicates (a reprint with
another footer, a wire story with one sentence edited) are found with MinHash over character
5-gram shingles: 128 permutations, split into LSH bands whose hashes are stored in
`doc_lsh_bands`, so finding candidates is one indexed query however large the store grows.
Candidates are then confirmed with the Jaccard estimate of the full signatures.

Character shingles rather than words because Japanese has no spaces between words.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SHINGLE_SIZE = 5
DEFAULT_THRESHOLD = 0.8
# 20 bands of 6 rows: a pair with Jaccard 0.8 becomes a candidate with probability 0.998, one
# with 0.6 with 0.61, one with 0.3 with 0.01. The banding is fixed, not derived from the
# threshold, because the band hashes are stored: changing it needs a migration that rebuilds
# `doc_lsh_bands`. Thresholds down to about 0.6 keep good recall.
BANDS = 20
ROWS = 6
# Pinned so signatures stored today compare with ones computed by a later datasketch.
_SCHEME = "affine32"
_SEED = 1
_DTYPE = np.dtype("<u4")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Signature:
    """A document's MinHash values and the LSH band hashes derived from them."""

    hashvalues: np.ndarray

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype(_DTYPE).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(np.frombuffer(data, dtype=_DTYPE).astype(np.uint64))

    def bands(self) -> list[tuple[int, str]]:
        """(band index, band hash) for each of the BANDS bands."""
        values = self.hashvalues.astype(_DTYPE)
        out = []
        for band in range(BANDS):
            chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
            out.append((band, hashlib.blake2b(chunk, digest_size=8).hexdigest()))
        return out

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        if len(self.hashvalues) != len(other.hashvalues):
            return 0.0
        return float(np.mean(self.hashvalues == other.hashvalues))


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the normalized text: equal for exact duplicates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """Character n-grams of the text with whitespace runs collapsed and case folded."""
    flat = _SPACE.sub(" ", text).strip().casefold()
    if len(flat) <= size:
        return {flat} if flat else set()
    return {flat[i : i + size] for i in range(len(flat) - size + 1)}


def signature(text: str) -> Signature:
    """The MinHash signature of the text's shingles."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return Signature(np.asarray(minhash.hashvalues, dtype=np.uint64))
