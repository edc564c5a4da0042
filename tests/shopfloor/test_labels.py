"""Labels are decodable: every symbol is read back with zxing-cpp (and the PDF sheet rasterised first)."""

import io
import re
from xml.etree import ElementTree

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from core.errors import InvalidInput, NotFound
from shopfloor.services import labels
from shopfloor.services.barcodes import code_for, resolve

FORMATS = {"code128": zxingcpp.BarcodeFormat.Code128, "qr": zxingcpp.BarcodeFormat.QRCode}


def decode_png(data: bytes) -> list[tuple[str, object]]:
    return [(r.text, r.format) for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


@pytest.mark.parametrize("symbology", ["code128", "qr"])
@pytest.mark.parametrize("code", ["P:TEE-01", "POL:12345", "PT:7", "L:#42", "LOT:TEE-01:2026-0042"])
def test_png_symbols_decode_to_their_code(symbology, code):
    assert decode_png(labels.render_symbol(code, symbology, "png")) == [(code, FORMATS[symbology])]


def rasterise_svg(data: bytes) -> Image.Image:
    """A minimal rasteriser for the two SVG shapes our writers emit, so SVG labels are decoded like PNGs:
    python-barcode's black <rect>s (x/width in mm) and segno's one <path> of horizontal runs (M/m/h moves)."""
    root = ElementTree.fromstring(data)
    ns = "{http://www.w3.org/2000/svg}"
    path = root.find(f"{ns}path")
    if path is not None:
        size = int(root.get("width")) // 4  # scale(4) in the path's transform
        image = Image.new("L", (size, size), 255)
        x = y = 0.0
        for command in re.findall(r"[Mmh][-\d. ]+", path.get("d")):
            numbers = [float(n) for n in command[1:].split()]
            if command[0] == "M":
                x, y = numbers
            elif command[0] == "m":
                x, y = x + numbers[0], y + numbers[1]
            else:
                for column in range(int(x), int(x + numbers[0])):
                    image.putpixel((column, int(y)), 0)
                x += numbers[0]
        return image.resize((size * 8, size * 8), Image.NEAREST)
    scale = 20  # pixels per mm
    width = float(root.get("width").removesuffix("mm"))
    image = Image.new("L", (int(width * scale) + 1, 200), 255)
    for rect in root.iter(f"{ns}rect"):
        if "black" in (rect.get("style") or ""):
            left = float(rect.get("x").removesuffix("mm")) * scale
            right = left + float(rect.get("width").removesuffix("mm")) * scale
            for column in range(round(left), round(right)):
                for row in range(20, 180):
                    image.putpixel((column, row), 0)
    return image


@pytest.mark.parametrize("symbology", ["code128", "qr"])
@pytest.mark.parametrize("code", ["PT:7", "POL:12345"])
def test_svg_symbols_decode_to_their_code(symbology, code):
    image = rasterise_svg(labels.render_symbol(code, symbology, "svg"))
    assert [(r.text, r.format) for r in zxingcpp.read_barcodes(image)] == [(code, FORMATS[symbology])]


def test_qr_carries_non_ascii_codes_and_code128_refuses_them():
    code = "P:ФУТБОЛКА-1"
    assert decode_png(labels.render_symbol(code, "qr", "png"))[0][0] == code
    with pytest.raises(InvalidInput) as refused:
        labels.render_symbol(code, "code128", "png")
    assert refused.value.field == "symbology"


def test_pdf_sheet_holds_every_label_decodable_over_pages():
    sheet = [labels.Label(f"PT:{n}", f"Task {n}") for n in range(1, 31)]
    pdf = labels.render_sheet(sheet, "qr", columns=3, rows=8)
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) == 2  # 24 per page
        found = []
        for page in document:
            found += [r.text for r in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]
    finally:
        document.close()
    assert sorted(found) == sorted(label.code for label in sheet)


def test_code128_sheet_decodes_too():
    pdf = labels.render_sheet([labels.Label("P:TEE"), labels.Label("L:EMB")], "code128", columns=2, rows=4)
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = {r.text for r in zxingcpp.read_barcodes(document[0].render(scale=4).to_pil())}
    finally:
        document.close()
    assert found == {"P:TEE", "L:EMB"}


def test_codes_resolve_to_their_objects_and_back(floor):
    from planning.services import purchasing

    order = purchasing.create_purchase_order(location_id=floor.workshop.pk, supplier_id=floor.supplier.pk,
                                             lines=[purchasing.LineInput(floor.blank.pk, 5)])
    line = order.lines.get()
    for kind, obj, code in [("product", floor.blank, "P:BLANK"), ("location", floor.workshop, "L:WS"),
                            ("purchase_order_line", line, f"POL:{line.pk}"), ("production_task", floor.task,
                                                                               f"PT:{floor.task.pk}")]:
        resolved = resolve(code)
        assert (resolved.kind.name, resolved.obj.pk, resolved.code) == (kind, obj.pk, code)
        assert code_for(kind, obj.pk).code == code


def test_a_location_whose_code_is_shared_is_labelled_by_id(floor):
    twin = floor.build.location("WS")
    assert code_for("location", twin.pk).code == f"L:#{twin.pk}"
    assert resolve(f"L:#{twin.pk}").obj == twin


def test_a_products_own_barcode_resolves_without_a_prefix(floor):
    from sales.models import ProductBarcode

    ProductBarcode.objects.create(product=floor.blank, barcode="4600000000017")
    assert resolve("4600000000017").obj == floor.blank


@pytest.mark.parametrize("code", ["P:NOPE", "PT:999999", "POL:abc", "ZZ:1", "garbage", "L:#x"])
def test_unknown_codes_are_404_naming_the_code(floor, code):
    with pytest.raises(NotFound) as refused:
        resolve(code)
    assert code in refused.value.message and refused.value.status == 404


def test_a_new_kind_is_a_few_lines_of_registration(floor, monkeypatch):
    """What lots will do at merge: register a kind, and codes, labels and the registry know it."""
    from planning.models import Supplier
    from shopfloor.services import barcodes

    monkeypatch.setattr(barcodes, "_kinds", dict(barcodes._kinds))  # the registry as it was, after the test
    barcodes.register_kind(barcodes.ObjectKind(
        name="supplier", prefix="SUP", model=Supplier,
        lookup=lambda value: Supplier.objects.filter(code=value).first(), value_of=lambda s: s.code,
        title_of=lambda s: s.name, describe=lambda s: {"id": s.pk, "code": s.code},
    ))
    assert resolve("SUP:STITCH").obj == floor.supplier
    label = code_for("supplier", floor.supplier.pk)
    assert decode_png(labels.render_symbol(label.code, "qr", "png"))[0][0] == "SUP:STITCH"
    with pytest.raises(ValueError):
        barcodes.register_kind(barcodes.ObjectKind(
            name="supplier", prefix="S2", model=Supplier, lookup=lambda v: None, value_of=str, title_of=str,
            describe=lambda s: {}))


def test_lots_are_labelled_and_scanned_by_sku_and_number(floor):
    from datetime import date

    from planning.services.lots import create_lot

    plain = create_lot(floor.blank, number="N1")
    colon = create_lot(floor.blank, number="B-2026:07", expires_on=date(2027, 1, 31))
    for lot, code in ((plain, "LOT:BLANK:N1"), (colon, "LOT:BLANK:B-2026:07")):
        resolved = code_for("lot", lot.pk)
        assert resolved.code == code and "lot" in resolved.kind.title_of(lot)
        assert resolve(code).obj.pk == lot.pk
        assert decode_png(labels.render_symbol(code, "qr", "png")) == [(code, FORMATS["qr"])]
    with pytest.raises(NotFound, match="LOT:BLANK:NOPE"):
        resolve("LOT:BLANK:NOPE")


def test_sheet_titles_print_russian_kazakh_and_turkish_letters():
    titles = ["Мишка плюшевый", "Қоңыр аю", "Ayıcık ğüşöç"]
    pdf = labels.render_sheet([labels.Label(f"PT:{n}", t) for n, t in enumerate(titles, 1)], "qr")
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    for title in titles:
        assert title in text
