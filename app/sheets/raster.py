"""Sheet PDFs as page images, in memory: for the on-screen preview and for printing.

The PDF is the one thing staff check and the one thing printed, so the preview and the printer
both draw the PDF itself (rasterised by PDFium) rather than a second rendering of the text that
could differ. Nothing is written to disk: the bytes never leave the process.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    stride: int  # bytes per row
    rgb: bytes  # 8-bit RGB rows


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def pages(pdf: bytes, dpi: float) -> Iterator[PageImage]:
    """Each page at the given resolution, one at a time (a 300 dpi A4 page is ~26 MB)."""
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, force_bitmap_format=None)
            try:
                if bitmap.mode != "RGB":
                    raise ValueError(f"unexpected bitmap mode {bitmap.mode}")
                yield PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
            finally:
                bitmap.close()
                page.close()
    finally:
        document.close()
