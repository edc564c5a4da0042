"""Reading import files: CSV (comma, semicolon or tab; UTF-8 or Windows-1251) or XLSX, optionally gzipped.

Files are streamed: CSV row by row, XLSX through openpyxl's read-only mode, so a file of any size costs the same
memory. Each kind of file has a column layout (`LAYOUTS`): the canonical column names, whether they are
required, an example and an explanation (used for templates too), and aliases, so the public data sets in
``../shared/data`` import as they are: ``store_id`` → location_code, ``item_id`` → sku, ``units`` → quantity,
``price`` → price_paid and the planned-price driver, ``promo``/``deal`` → on_promotion and the promotion
driver, ``open`` → is_open, ``holiday_flg``/``school_holiday`` → is_holiday, ``item_name`` → the name of a
product created by create-missing. Several source columns feeding one yes/no column combine as "any is yes".
Columns the layout does not know are ignored and listed in the report's warnings.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from core.errors import InvalidInput
from sales.choices import ImportKind
from sales.services.parsing import is_empty

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t")
SNIFF_BYTES = 64 * 1024
csv.field_size_limit(1024 * 1024)


class FileFormatError(InvalidInput, ValueError):
    """The file as a whole cannot be read (wrong delimiter, missing columns, not CSV/XLSX)."""

    code = "file_format"

    def __init__(self, message: str, column: str = "") -> None:
        super().__init__(message, field="file")
        self.column = column


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, date, datetime, number, yes/no, list
    required: bool
    example: str
    help: str
    aliases: tuple[str, ...] = ()


_DRIVER_COLUMNS = (
    Column("is_open", "yes/no", False, "", "Demand driver: was (or will) the location be open that day.", ("open",)),
    Column("is_holiday", "yes/no", False, "", "Demand driver: public or school holiday.",
           ("holiday_flg", "school_holiday", "holiday")),
    Column("promotion", "yes/no", False, "", "Demand driver: a promotion runs that day.", ("promo", "deal")),
    Column("planned_price", "number", False, "", "Demand driver: the price planned for that day.", ("price",)),
)

LAYOUTS: dict[str, tuple[Column, ...]] = {
    ImportKind.SALES: (
        Column("location_code", "text", True, "B001", "Code of the branch/location (as in Branches).",
               ("store_id", "location")),
        Column("sku", "text", True, "SKU-1", "Product SKU; ALL = the whole location (store-level data).",
               ("item_id", "product_sku")),
        Column("date", "date", True, "2026-03-01", "Business day, YYYY-MM-DD (or DD.MM.YYYY).",
               ("day", "calendar_date")),
        Column("quantity", "number", False, "12",
               "Units sold that day. Empty: the row carries demand drivers only (e.g. future prices).",
               ("units", "qty")),
        Column("revenue", "number", False, "118.80",
               "Money taken, after discounts. Empty: quantity × price_paid, else 0.", ("sales",)),
        Column("discount", "number", False, "1.20", "Money off, total for the day (≥ 0)."),
        Column("returns", "number", False, "0", "Units returned that day, a positive number."),
        Column("price_paid", "number", False, "9.90", "Average price paid per unit.", ("price",)),
        Column("on_promotion", "yes/no", False, "0", "Was the product on promotion (1/0, yes/no).",
               ("promo", "deal")),
        *_DRIVER_COLUMNS,
        Column("product_name", "text", False, "", "Name for a product created by create-missing.", ("item_name",)),
    ),
    ImportKind.STOCK: (
        Column("location_code", "text", True, "B001", "Code of the branch/location holding the stock.",
               ("store_id", "location")),
        Column("sku", "text", True, "SKU-1", "Product SKU.", ("item_id", "product_sku")),
        Column("as_of", "datetime", True, "2026-03-01T08:00:00+03:00",
               "When the snapshot was taken; a bare date means midnight.", ("date", "snapshot_at")),
        Column("on_hand", "number", True, "40", "Units on hand (may be negative, as iiko reports it).",
               ("units", "quantity", "stock")),
        Column("reserved", "number", False, "2", "Units reserved for orders (≥ 0)."),
        Column("in_transit", "number", False, "10", "Units on the way to this location (≥ 0)."),
    ),
    ImportKind.PRODUCTS: (
        Column("sku", "text", True, "SKU-1", "Unique product code; the identity of the product.",
               ("item_id", "article")),
        Column("name", "text", False, "Orange juice 1 l", "Product name (required for a new product).",
               ("item_name", "title")),
        Column("kind", "text", False, "goods", "goods, dish, material, semi_finished or service."),
        Column("category_code", "text", False, "DRINKS",
               "Category code; an unknown code creates the category.", ("category",)),
        Column("category_name", "text", False, "Drinks", "Name for a category created from category_code."),
        Column("unit", "text", False, "pcs", "Unit of measure (pcs, kg, l…)."),
        Column("list_price", "number", False, "9.90", "Current list price.", ("price",)),
        Column("is_active", "yes/no", False, "1", "Is the product still sold (1/0).", ("active",)),
        Column("barcodes", "list", False, "4601234567893", "Barcodes, separated by commas or spaces.",
               ("barcode", "ean")),
    ),
    ImportKind.BRANCHES: (
        Column("code", "text", True, "B001", "Branch code: what sales and stock files call location_code.",
               ("location_code", "store_id")),
        Column("name", "text", True, "Central store", "Branch name."),
        Column("parent_code", "text", False, "", "Code of the parent branch or group (empty for a root)."),
        Column("type", "text", False, "BRANCH", "BRANCH, BRANCH_GROUP, WAREHOUSE, STORE…"),
        Column("code_tco", "text", False, "", "iiko code linking the branch to an iiko department."),
        Column("taxpayer_id_number", "text", False, "", "INN of the branch's legal entity.", ("inn",)),
    ),
}


def _normalise(header: Any) -> str:
    return str(header or "").strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")


@dataclass
class HeaderMap:
    """Where each canonical column comes from in one file."""

    sources: dict[str, list[int]]
    ignored: list[str]
    bool_columns: frozenset[str]

    def row(self, values: list[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        length = len(values)
        for name, indexes in self.sources.items():
            if len(indexes) == 1:
                index = indexes[0]
                out[name] = values[index] if index < length else None
                continue
            picked = [values[i] for i in indexes if i < length and not is_empty(values[i])]
            out[name] = _any_yes(picked) if name in self.bool_columns else (picked[0] if picked else None)
        return out


def _any_yes(values: list[Any]) -> Any:
    from sales.services.parsing import parse_bool

    if not values:
        return None
    try:
        return any(parse_bool(v) for v in values)
    except ValueError:
        return values[0]  # let the ingest report the bad value


def map_headers(kind: str, headers: list[Any]) -> HeaderMap:
    """Match a file's header to the kind's layout; raises FileFormatError naming what is missing."""
    layout = LAYOUTS[kind]
    normalised = [_normalise(h) for h in headers]
    position = {}
    for index, name in enumerate(normalised):
        if name and name not in position:
            position[name] = index
    sources: dict[str, list[int]] = {}
    used: set[int] = set()
    for column in layout:
        if column.name in position:
            sources[column.name] = [position[column.name]]
        else:
            found = [position[a] for a in column.aliases if a in position]
            if found:
                sources[column.name] = found
        used.update(sources.get(column.name, []))
    missing = [c.name for c in layout if c.required and c.name not in sources]
    if missing:
        shown = ", ".join(repr(h) for h in headers[:8] if h not in (None, ""))
        hint = ""
        if len([h for h in headers if not is_empty(h)]) <= 1:
            hint = (" The header has a single column: the file is probably not separated by commas, semicolons "
                    "or tabs, or has no header line.")
        raise FileFormatError(
            f"missing required column(s) {', '.join(missing)} for a {kind} file; the header has {shown or 'nothing'}."
            f"{hint} Download the template to see the expected columns.",
            column=missing[0],
        )
    if kind == ImportKind.SALES and "quantity" not in sources and not any(
        c.name in sources for c in _DRIVER_COLUMNS
    ):
        raise FileFormatError("a sales file needs a quantity (or units) column, or demand-driver columns "
                              "(is_open, is_holiday, promotion, planned_price)", column="quantity")
    duplicates = sorted({n for n in normalised if n and normalised.count(n) > 1})
    if duplicates:
        raise FileFormatError(f"the header repeats column(s) {', '.join(duplicates)}", column=duplicates[0])
    ignored = [str(headers[i]) for i in range(len(headers)) if i not in used and not is_empty(headers[i])]
    bools = frozenset(c.name for c in layout if c.type == "yes/no")
    return HeaderMap(sources=sources, ignored=ignored, bool_columns=bools)


class CountingReader(io.RawIOBase):
    """Counts the bytes read from the underlying file, for progress over compressed or decoded streams."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.bytes_read += size
        return size


@dataclass
class Table:
    """An opened file: its header and a stream of (row number, values)."""

    format: str  # csv or xlsx
    headers: list[Any]
    rows: Iterator[tuple[int, list[Any]]]
    counter: CountingReader
    size: int
    delimiter: str = ""

    @property
    def fraction_read(self) -> float:
        return min(1.0, self.counter.bytes_read / self.size) if self.size else 1.0


def _file_size(fileobj: IO[bytes]) -> int:
    try:
        position = fileobj.tell()
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(position)
        return size
    except (OSError, AttributeError, ValueError):
        return 0


def open_table(fileobj: IO[bytes], name: str = "") -> Table:
    """Detect gzip, XLSX or CSV (by content, not by name) and return the header and a row stream."""
    size = _file_size(fileobj)
    counter = CountingReader(fileobj)
    stream: IO[bytes] = io.BufferedReader(counter, buffer_size=1024 * 1024)
    head = stream.peek(4)[:4]
    if head[:2] == GZIP_MAGIC:
        stream = io.BufferedReader(gzip.GzipFile(fileobj=stream, mode="rb"), buffer_size=1024 * 1024)
        head = stream.peek(4)[:4]
    if head == ZIP_MAGIC:
        return _open_xlsx(stream, counter, size)
    if name.lower().endswith((".xlsx", ".xlsx.gz")):
        raise FileFormatError("the file is named .xlsx but is not an Excel workbook")
    return _open_csv(stream, counter, size)


def _decode(sample: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise FileFormatError("the file is neither UTF-8 nor Windows-1251 text, nor an XLSX workbook")


def _open_csv(stream: IO[bytes], counter: CountingReader, size: int) -> Table:
    sample = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]  # type: ignore[attr-defined]
    if b"\x00" in sample:
        raise FileFormatError("the file is binary, not CSV or XLSX")
    encoding = _decode(sample)
    text_sample = sample.decode(encoding, errors="ignore")
    first_line = text_sample.splitlines()[0] if text_sample.strip() else ""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileFormatError("the file is empty") from None
    except csv.Error as exc:
        raise FileFormatError(f"the header line cannot be read as CSV: {exc}") from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for values in reader:
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                yield reader.line_num, values
        except csv.Error as exc:
            raise FileFormatError(f"line {reader.line_num}: {exc}") from None

    return Table(format="csv", headers=headers, rows=rows(), counter=counter, size=size, delimiter=delimiter)


def _open_xlsx(stream: IO[bytes], counter: CountingReader, size: int) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # openpyxl needs a seekable file; a gzipped workbook is spooled to a temporary file first.
    seekable: IO[bytes]
    if isinstance(stream, io.BufferedReader) and isinstance(stream.raw, gzip.GzipFile):
        seekable = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - closed with the workbook
        shutil.copyfileobj(stream, seekable)
        seekable.seek(0)
    else:
        seekable = counter.raw
        seekable.seek(0)
    try:
        workbook = openpyxl.load_workbook(seekable, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(f"the workbook cannot be read: {exc}") from None
    sheet = workbook["data"] if "data" in workbook.sheetnames else workbook.worksheets[0]
    values_iter = sheet.iter_rows(values_only=True)
    headers: list[Any] = []
    header_row = 0
    for header_row, values in enumerate(values_iter, start=1):  # noqa: B007 - header_row used below
        if any(not is_empty(v) for v in values):
            headers = list(values)
            break
    if not headers:
        workbook.close()
        raise FileFormatError("the first sheet is empty")
    while headers and is_empty(headers[-1]):
        headers.pop()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(values_iter, start=header_row + 1):
                counter.bytes_read = int(size * min(1.0, number / max(sheet.max_row or number, 1)))
                if all(is_empty(v) for v in values):
                    continue
                yield number, list(values)
        finally:
            workbook.close()

    return Table(format="xlsx", headers=headers, rows=rows(), counter=counter, size=size)


def read_rows(table: Table, header_map: HeaderMap) -> Iterator[dict[str, Any]]:
    """Canonical row mappings (with `_row`, the line number a spreadsheet shows)."""
    to_row = header_map.row
    for number, values in table.rows:
        row = to_row(values)
        row["_row"] = number
        yield row


ProgressFraction = Callable[[float, int], None]
