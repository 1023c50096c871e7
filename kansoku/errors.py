"""Kansoku's exceptions: one root, a small tree, messages that name the input and the fix.

    KansokuError
    ├── IngestError            an input could not be read into a document
    │   ├── DecodeError        bytes that are not UTF-8, Shift_JIS or EUC-JP text
    │   ├── EmptyInputError    nothing to read, or no main text found
    │   ├── TooLargeError      over the size limit
    │   ├── FetchError         a URL could not be fetched (refused, timeout, bad status, scheme)
    │   └── FeedError          a feed that is not RSS/Atom
    ├── DateError              a date option or value that is not a valid date
    ├── StoreError             the database could not be opened or written
    ├── GazetteerError         a domain data file that does not validate
    └── EvaluationError        a gold folder or file that cannot be evaluated
"""

from __future__ import annotations


class KansokuError(Exception):
    """Root of every error Kansoku raises on purpose. `str(err)` is one line for the user."""


class IngestError(KansokuError):
    pass


class DecodeError(IngestError):
    pass


class EmptyInputError(IngestError):
    pass


class TooLargeError(IngestError):
    pass


class FetchError(IngestError):
    pass


class FeedError(IngestError):
    pass


class DateError(KansokuError):
    pass


class StoreError(KansokuError):
    pass


class GazetteerError(KansokuError):
    pass


class EvaluationError(KansokuError):
    pass
