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
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext

from core.errors import InvalidInput
from sales.choices import ImportKind
from sales.services.parsing import is_empty

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t")
SNIFF_BYTES = 64 * 1024
csv.field_size_limit(1024 * 1024)


class FileFormatError(InvalidInput, ValueError):
    """The file as a whole cannot be read (wrong delimiter, missing columns, not CSV/XLSX, damaged).

    `status` is the HTTP status an API answers with when this is all there is to say about a file (422);
    `row` the line or spreadsheet row where reading stopped, when there is one.
    """

    status = 422
    code = "file_format"

    def __init__(self, message: str, column: str = "", row: int | None = None) -> None:
        super().__init__(message, field="file")
        self.column = column
        self.row = row


class FileTooLarge(FileFormatError):
    """The file is over one of the import limits (SALES_IMPORT_MAX_*): nothing more of it is read."""

    status = 413


@dataclass(frozen=True)
class ImportLimits:
    """What one import file may hold; a workbook that unpacks to 200 MB must not hold a worker for minutes."""

    uncompressed_bytes: int
    rows: int
    columns: int

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            uncompressed_bytes=int(getattr(settings, "SALES_IMPORT_MAX_UNCOMPRESSED_BYTES", 256 * 1024 * 1024)),
            rows=int(getattr(settings, "SALES_IMPORT_MAX_ROWS", 2_000_000)),
            columns=int(getattr(settings, "SALES_IMPORT_MAX_COLUMNS", 200)),
        )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


class _LimitedReader(io.RawIOBase):
    """Stops reading a decompressed stream past `limit` bytes (a gzip bomb) and names damaged archives."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self.raw = raw
        self.limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.raw.read(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise FileFormatError(gettext("the gzip file is truncated or damaged (%(value)s); compress it "
                                          "again and upload the whole file") % {
                                      "value": exc or type(exc).__name__,
                                  }) from None
        self.count += len(data)
        if self.count > self.limit:
            raise FileTooLarge(gettext("the file unpacks to more than %(mb)s "
                                       "(SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); split it into smaller files") % {
                                   "mb": _mb(self.limit),
                               })
        size = len(data)
        buffer[:size] = data
        return size


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
    Column("is_advertised", "yes/no", False, "", "Demand driver: featured in advertising that day.",
           ("feat", "feature", "advertised")),
    Column("is_extended_promotion", "yes/no", False, "",
           "Demand driver: a long-running promotion (coupons, loyalty) beside the day's own.", ("promo2",)),
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
            gettext("missing required column(s) %(missing)s for a %(kind)s file; the header has "
                    "%(value)s.%(hint)s Download the template to see the expected columns.") % {
                "missing": ', '.join(missing),
                "kind": kind,
                "value": shown or 'nothing',
                "hint": hint,
            },
            column=missing[0],
        )
    if kind == ImportKind.SALES and "quantity" not in sources and not any(
        c.name in sources for c in _DRIVER_COLUMNS
    ):
        raise FileFormatError(gettext("a sales file needs a quantity (or units) column, or demand-driver "
                                      "columns (is_open, is_holiday, promotion, planned_price)"), column="quantity")
    duplicates = sorted({n for n in normalised if n and normalised.count(n) > 1})
    if duplicates:
        raise FileFormatError(gettext("the header repeats column(s) %(duplicates)s") % {
                                  "duplicates": ', '.join(duplicates),
                              }, column=duplicates[0])
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


def open_table(fileobj: IO[bytes], name: str = "", limits: ImportLimits | None = None) -> Table:
    """Detect gzip, XLSX or CSV (by content, not by name) and return the header and a row stream.

    Every way a file can be broken (damaged gzip or zip, bytes that are not text, over a limit) is a
    FileFormatError naming the problem and, where there is one, the row: never another exception.
    """
    limits = limits or ImportLimits.from_settings()
    size = _file_size(fileobj)
    counter = CountingReader(fileobj)
    stream: IO[bytes] = io.BufferedReader(counter, buffer_size=1024 * 1024)
    head = stream.peek(4)[:4]
    if head[:2] == GZIP_MAGIC:
        limited = _LimitedReader(gzip.GzipFile(fileobj=stream, mode="rb"), limits.uncompressed_bytes)
        stream = io.BufferedReader(limited, buffer_size=1024 * 1024)
        head = stream.peek(4)[:4]
    if head == ZIP_MAGIC:
        table = _open_xlsx(stream, counter, size, limits)
    elif name.lower().endswith((".xlsx", ".xlsx.gz")):
        raise FileFormatError(gettext("the file is named .xlsx but is not an Excel workbook"))
    else:
        table = _open_csv(stream, counter, size)
    if len(table.headers) > limits.columns:
        raise FileTooLarge(gettext("the header has %(count)s columns, more than the %(columns)s allowed "
                                   "(SALES_IMPORT_MAX_COLUMNS)") % {
                               "count": format(len(table.headers), ","),
                               "columns": format(limits.columns, ","),
                           }, row=1)
    table.rows = _guarded_rows(table.rows, limits, table.format)
    return table


def _guarded_rows(rows: Iterator[tuple[int, list[Any]]], limits: ImportLimits, fmt: str
                  ) -> Iterator[tuple[int, list[Any]]]:
    """The row stream with the row/column limits applied and read errors turned into FileFormatError."""
    count, number = 0, 1
    try:
        for number, values in rows:
            count += 1
            if count > limits.rows:
                raise FileTooLarge(gettext("the file has more than %(rows)s rows (SALES_IMPORT_MAX_ROWS); "
                                           "split it into smaller files") % {"rows": format(limits.rows,
                                                                                            ",")}, row=number)
            if len(values) > limits.columns and any(not is_empty(v) for v in values[limits.columns:]):
                raise FileTooLarge(gettext("row %(number)s has %(count)s values, more than the %(columns)s "
                                           "columns allowed (SALES_IMPORT_MAX_COLUMNS)") % {
                                       "number": number,
                                       "count": format(len(values), ","),
                                       "columns": format(limits.columns, ","),
                                   }, row=number)
            yield number, values
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start:exc.start + 1].hex() if isinstance(exc.object, bytes | bytearray) else "?"
        raise FileFormatError(gettext("after row %(number)s: byte 0x%(bad)s is not %(encoding)s text; the "
                                      "file mixes encodings — save it again as UTF-8 (CSV UTF-8 in Excel)") % {
                                  "number": number,
                                  "bad": bad,
                                  "encoding": exc.encoding,
                              }, row=number + 1) from None
    except (EOFError, gzip.BadGzipFile, zlib.error, zipfile.BadZipFile) as exc:
        raise FileFormatError(gettext("after row %(number)s: the file is truncated or damaged (%(name)s); "
                                      "upload the whole file again") % {
                                  "number": number,
                                  "name": type(exc).__name__,
                              }, row=number + 1) from None


def _decode(sample: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = sample[:exc.start].count(b"\n") + 1
        raise FileFormatError(gettext("line %(line)s: byte 0x%(sample)s is neither UTF-8 nor Windows-1251 "
                                      "text; save the file as UTF-8 (CSV UTF-8 in Excel)") % {
                                  "line": line,
                                  "sample": format(sample[exc.start], "02x"),
                              }, row=line) from None
    raise FileFormatError(gettext("the file is neither UTF-8 nor Windows-1251 text, nor an XLSX workbook"))


def _check_text(values: list[str], line: int, encoding: str) -> None:
    """FileFormatError naming the line and the byte when a value holds bytes that were not `encoding` text."""
    try:
        "".join(values).encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = ord(exc.object[exc.start]) - 0xDC00
        name = "UTF-8" if encoding.startswith("utf-8") else "Windows-1251"
        raise FileFormatError(gettext("line %(line)s: byte 0x%(byte)s is not %(name)s text; the file mixes "
                                      "encodings — save it again as UTF-8 (CSV UTF-8 in Excel)") % {
                                  "line": line,
                                  "byte": format(byte, "02x"),
                                  "name": name,
                              }, row=line) from None


def _open_csv(stream: IO[bytes], counter: CountingReader, size: int) -> Table:
    try:
        sample = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]  # type: ignore[attr-defined]
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise FileFormatError(gettext("the gzip file is truncated or damaged (%(name)s); compress it again "
                                      "and upload the whole file") % {"name": type(exc).__name__}) from None
    if b"\x00" in sample:
        raise FileFormatError(gettext("the file is binary, not CSV or XLSX"))
    encoding = _decode(sample)
    text_sample = sample.decode(encoding, errors="ignore")
    first_line = text_sample.splitlines()[0] if text_sample.strip() else ""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","
    # Bytes that are not `encoding` text (cp1251 after the sniffed first 64 KB of a UTF-8 file) become lone
    # surrogates, so the row holding them is named exactly instead of the decoder's read-ahead position.
    text = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileFormatError(gettext("the file is empty")) from None
    except csv.Error as exc:
        raise FileFormatError(gettext("the header line cannot be read as CSV: %(exc)s") % {"exc": exc}) from None
    _check_text(headers, 1, encoding)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for values in reader:
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                _check_text(values, reader.line_num, encoding)
                yield reader.line_num, values
        except csv.Error as exc:
            raise FileFormatError(gettext("line %(line)s: %(error)s") % {"line": reader.line_num, "error": exc}
                                  ) from None

    return Table(format="csv", headers=headers, rows=rows(), counter=counter, size=size, delimiter=delimiter)


def _check_workbook_archive(seekable: IO[bytes], limits: ImportLimits) -> None:
    """Refuse a damaged zip, or one that unpacks to more than the limit, before openpyxl inflates it."""
    try:
        with zipfile.ZipFile(seekable) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise FileFormatError(gettext("the file starts like an XLSX workbook but is not a valid one "
                                      "(%(exc)s); save it again from Excel, or upload it as CSV") % {"exc": exc}
                              ) from None
    finally:
        seekable.seek(0)
    if unpacked > limits.uncompressed_bytes:
        raise FileTooLarge(gettext("the workbook unpacks to %(mb)s, more than %(mb2)s "
                                   "(SALES_IMPORT_MAX_UNCOMPRESSED_BYTES); save the data as CSV or split it") % {
                               "mb": _mb(unpacked),
                               "mb2": _mb(limits.uncompressed_bytes),
                           })


def _open_xlsx(stream: IO[bytes], counter: CountingReader, size: int, limits: ImportLimits) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # openpyxl needs a seekable file; a gzipped workbook is spooled to a temporary file first.
    seekable: IO[bytes]
    if isinstance(stream, io.BufferedReader) and isinstance(stream.raw, _LimitedReader):
        seekable = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - closed with the workbook
        shutil.copyfileobj(stream, seekable)
        seekable.seek(0)
    else:
        seekable = counter.raw
        seekable.seek(0)
    _check_workbook_archive(seekable, limits)
    try:
        workbook = openpyxl.load_workbook(seekable, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FileFormatError(gettext("the workbook cannot be read: %(exc)s") % {"exc": exc}) from None
    sheet = workbook["data"] if "data" in workbook.sheetnames else workbook.worksheets[0]
    # Read-only mode pads every row to the sheet's declared width (16,384 columns in some files): read one column
    # past the limit, enough to tell that a row is too wide.
    values_iter = sheet.iter_rows(values_only=True, max_col=limits.columns + 1)
    headers: list[Any] = []
    header_row = 0
    for header_row, values in enumerate(values_iter, start=1):  # noqa: B007 - header_row used below
        if any(not is_empty(v) for v in values):
            headers = list(values)
            break
    if not headers:
        workbook.close()
        raise FileFormatError(gettext("the first sheet is empty"))
    while headers and is_empty(headers[-1]):
        headers.pop()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(values_iter, start=header_row + 1):
                counter.bytes_read = int(size * min(1.0, number / max(sheet.max_row or number, 1)))
                if all(is_empty(v) for v in values):
                    continue
                values = list(values)
                while values and is_empty(values[-1]):  # read-only mode pads rows to the sheet's width
                    values.pop()
                yield number, values
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
