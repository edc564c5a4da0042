"""Label rendering: Code 128 (python-barcode) and QR (segno) as PNG or SVG, and a printable A4 PDF sheet
(reportlab) of many labels. Pure functions of the code text; which codes exist is services.barcodes' business.
"""

from __future__ import annotations

import io
import pathlib
from dataclasses import dataclass

import barcode
import segno
from barcode.errors import BarcodeError
from barcode.writer import ImageWriter, SVGWriter
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.errors import InvalidInput
from shopfloor.choices import ImageFormat, Symbology

CONTENT_TYPES = {ImageFormat.PNG: "image/png", ImageFormat.SVG: "image/svg+xml"}
MAX_SHEET_LABELS = 500
# python-barcode sizes in mm; 0.33 mm modules scan well from hand-held readers.
CODE128_OPTIONS = {"module_width": 0.33, "module_height": 12.0, "quiet_zone": 4.0, "font_size": 8,
                   "text_distance": 3.5, "dpi": 300}


@dataclass(frozen=True)
class Label:
    code: str
    title: str = ""


def _code128(code: str, writer) -> bytes:
    try:
        symbol = barcode.get("code128", code, writer=writer)
        buffer = io.BytesIO()
        symbol.write(buffer, options=CODE128_OPTIONS)
    except (BarcodeError, ValueError, UnicodeError) as exc:
        raise InvalidInput(gettext("Code 128 cannot encode %(code)r (%(exc)s); print a QR label instead.") % {
                               "code": code,
                               "exc": exc,
                           },
                           field="symbology") from exc
    return buffer.getvalue()


def render_symbol(code: str, symbology: str, image_format: str) -> bytes:
    """The symbol of `code` as PNG or SVG bytes."""
    if symbology == Symbology.CODE128:
        if any(ord(ch) > 127 for ch in code):
            raise InvalidInput(gettext("Code 128 encodes ASCII only; %(code)r is not. Print a QR label "
                                       "instead.") % {"code": code},
                               field="symbology")
        return _code128(code, ImageWriter() if image_format == ImageFormat.PNG else SVGWriter())
    if symbology == Symbology.QR:
        qr = segno.make(code, error="m", micro=False)
        buffer = io.BytesIO()
        if image_format == ImageFormat.PNG:
            qr.save(buffer, kind="png", scale=8, border=4)
        else:
            qr.save(buffer, kind="svg", scale=4, border=4, xmldecl=True)
        return buffer.getvalue()
    raise InvalidInput(gettext("Unknown symbology %(symbology)r; use code128 or qr.") % {"symbology": symbology},
                       field="symbology")


LABEL_FONT = "DejaVuSans"


def _label_font() -> str:
    """DejaVu Sans (shipped inside matplotlib, already a dependency) embedded in the PDF: Cyrillic, Kazakh and
    Turkish letters print as themselves, which the standard PDF fonts (Latin-1 only) cannot do."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if LABEL_FONT not in pdfmetrics.getRegisteredFontNames():
        import matplotlib

        path = pathlib.Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        pdfmetrics.registerFont(TTFont(LABEL_FONT, str(path)))
    return LABEL_FONT


def render_sheet(labels: list[Label], symbology: str, *, columns: int = 3, rows: int = 8) -> bytes:
    """An A4 PDF of labels in a grid (columns × rows per page), each symbol with its title under it."""
    if not labels:
        raise InvalidInput(gettext("Name at least one label."), field="codes")
    if len(labels) > MAX_SHEET_LABELS:
        raise InvalidInput(gettext("At most %(MAX_SHEET_LABELS)s labels per sheet; got %(count)s.") % {
                               "MAX_SHEET_LABELS": MAX_SHEET_LABELS,
                               "count": len(labels),
                           }, field="codes")
    buffer = io.BytesIO()
    page_w, page_h = A4
    margin = 8 * mm
    cell_w = (page_w - 2 * margin) / columns
    cell_h = (page_h - 2 * margin) / rows
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle("salesforecast labels")
    font = _label_font()
    per_page = columns * rows
    symbols: dict[str, ImageReader] = {}  # copies of one label share one rendering (and one image in the PDF)
    for index, label in enumerate(labels):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        x = margin + (slot % columns) * cell_w
        y = page_h - margin - (slot // columns + 1) * cell_h
        if label.code not in symbols:
            symbols[label.code] = ImageReader(io.BytesIO(render_symbol(label.code, symbology, ImageFormat.PNG)))
        image = symbols[label.code]
        img_w, img_h = image.getSize()
        box_w, box_h = cell_w - 4 * mm, cell_h - 9 * mm
        scale = min(box_w / img_w, box_h / img_h)
        draw_w, draw_h = img_w * scale, img_h * scale
        pdf.drawImage(image, x + (cell_w - draw_w) / 2, y + 7 * mm + (box_h - draw_h) / 2, draw_w, draw_h)
        pdf.setFont(font, 7)
        title = "".join(ch for ch in (label.title or label.code) if ch.isprintable())
        pdf.drawCentredString(x + cell_w / 2, y + 3 * mm, title[:60])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
