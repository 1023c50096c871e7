"""Shingles, MinHash signatures and LSH bands, without a database."""

from __future__ import annotations

from kansoku.store.dedup import BANDS, NUM_PERM, Signature, shingles, signature, text_sha256


def test_shingles_are_character_5_grams_with_whitespace_folded() -> None:
    assert shingles("Ab  cdef") == {"ab cd", "b cde", " cdef"}
    assert shingles("金正恩") == {"金正恩"}
    assert shingles("   ") == set()


def test_signature_is_deterministic_and_round_trips_bytes() -> None:
    sig = signature("北朝鮮は約12000人の兵士を派遣した。")
    again = signature("北朝鮮は約12000人の兵士を派遣した。")
    assert len(sig.hashvalues) == NUM_PERM
    assert sig.similarity(again) == 1.0
    restored = Signature.from_bytes(sig.to_bytes())
    assert restored.similarity(sig) == 1.0
    assert restored.bands() == sig.bands() and len(sig.bands()) == BANDS


def test_similarity_tracks_overlap(long_text: str) -> None:
    edited = long_text.replace("Report 3: the third", "Report 3: a quite different")
    unrelated = "The IAEA said the reactor at Yongbyon restarted in October." * 20
    base = signature(long_text)
    assert base.similarity(signature(edited)) >= 0.8
    assert base.similarity(signature(unrelated)) < 0.2


def test_sha256_is_the_document_id_prefix() -> None:
    from kansoku.model import text_id

    assert text_sha256("abc").startswith(text_id("abc"))
