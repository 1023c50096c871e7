"""PDF → text of all pages, through pypdf.

Official reports (IAEA, ministries) come as PDF. Encrypted files and scans without a text
layer are refused with what to do about them. The PDF creation date is not used as the
publication date: generators stamp the time of export, which would look authoritative.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from kansoku.errors import DecodeError, EmptyInputError

PAGE_SEPARATOR = "\n\n"


@dataclass
class PdfText:
    text: str
    title: str | None = None
    author: str | None = None
    pages: int = 0


def extract_pdf(data: bytes, *, name: str) -> PdfText:
    """Text of every page of the PDF `data`, with its title and author metadata."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DecodeError(
                f"{name}: encrypted PDF (password required): save an unencrypted copy "
                "(e.g. qpdf --decrypt) or pass the text"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
    except DecodeError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as err:
        raise DecodeError(
            f"{name}: unreadable PDF ({err}): pass an intact PDF or the text"
        ) from err
    except NotImplementedError as err:  # unsupported encryption algorithm
        raise DecodeError(
            f"{name}: encrypted PDF ({err}): save an unencrypted copy or pass the text"
        ) from err
    text = PAGE_SEPARATOR.join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise EmptyInputError(
            f"{name}: PDF with {len(pages)} page(s) but no text layer (a scan?): "
            "run OCR on it first or pass the text"
        )
    title = str(meta.title).strip() if meta and meta.title else None
    author = str(meta.author).strip() if meta and meta.author else None
    return PdfText(text=text, title=title or None, author=author or None, pages=len(pages))
