"""The item master: categories and products, with barcodes and per-account external references.

``upsert_categories(categories, *, dry_run=False, first_row=1, max_errors=1000) -> IngestReport``
    Mappings with ``code`` (required), ``name`` (required for a new category), ``parent_code``.

``upsert_products(products, *, account=None, create_missing=True, batch_size=5_000, progress=None,
dry_run=False, first_row=1, max_errors=1000) -> IngestReport``
    Mappings keyed ``sku`` (required; the product's identity), ``name`` (required for a new product),
    ``kind`` (goods, dish, material, semi_finished, service), ``category_code`` (+ optional ``category_name``:
    unknown codes become new categories when ``create_missing``, else an error), ``unit``, ``list_price``,
    ``is_active``, ``barcodes`` (a list, or one string separated by commas/semicolons/spaces) or ``barcode``,
    and ``external_id``: with ``account`` it becomes a ``ProductSourceRef`` (account, external_id) → product,
    unique per account, so one product can be known to iiko, Sentos and WB at once. Columns a row leaves out (or
    empty) keep their stored values. Barcodes are added, never removed (several sources contribute barcodes to
    one product); a barcode that moved to another product in the source is moved here too.

One transaction per call; any error rejects the whole batch (see ``IngestReport``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sales.choices import ProductKind
from sales.models import Product, ProductBarcode, ProductCategory, ProductSourceRef
from sales.services.parsing import is_empty, parse_bool, parse_number, parse_text, strip_control_characters, to_decimal
from sales.services.reports import IngestReport, Rollback, chunks

LOOKUP_CHUNK = 500
_BARCODE_SPLIT = re.compile(r"[\s,;|]+")
_KIND_BY_WORD = {**{k.lower(): k for k in ProductKind.values}, **{str(v).lower(): k for k, v in ProductKind.choices}}
PRODUCT_FIELDS = ("name", "kind", "category_id", "unit", "list_price", "is_active")


def upsert_categories(
    categories: Iterable[Mapping[str, Any]], *, dry_run: bool = False, first_row: int = 1, max_errors: int = 1000
) -> IngestReport:
    """Create or update product categories by code; parents may come before or after their children."""
    report = IngestReport(dry_run=dry_run, max_errors=max_errors)
    rows: dict[str, tuple[int, str | None, str | None]] = {}
    for row_no, row in enumerate(categories, start=first_row):
        row_no = row.get("_row") or row_no
        report.rows += 1
        try:
            code = parse_text(row.get("code"), max_length=64) if not is_empty(row.get("code")) else ""
        except ValueError as exc:
            report.add_error(row_no, "code", str(exc))
            continue
        if not code:
            report.add_error(row_no, "code", gettext("is required"))
            continue
        if code in rows:
            report.add_error(row_no, "code", gettext("duplicate category code %(code)r: also on row %(rows)s") % {
                                                 "code": code,
                                                 "rows": rows[code][0],
                                             })
            continue
        name = None if is_empty(row.get("name")) else strip_control_characters(str(row["name"])).strip()[:255]
        parent = None if is_empty(row.get("parent_code")) else str(row["parent_code"]).strip()
        if parent == code:
            report.add_error(row_no, "parent_code", gettext("category %(code)r cannot be its own parent") % {
                                                        "code": code,
                                                    })
            continue
        rows[code] = (row_no, name, parent)
    try:
        with transaction.atomic():
            existing = {c.code: c for c in ProductCategory.objects.filter(code__in=list(rows))}
            changed: set[str] = set()
            for code, (row_no, name, _parent) in rows.items():
                category = existing.get(code)
                if category is None:
                    if not name:
                        report.add_error(row_no, "name", gettext("is required for the new category %(code)r") % {
                                                             "code": code,
                                                         })
                        continue
                    existing[code] = ProductCategory.objects.create(code=code, name=name)
                    report.created += 1
                    changed.add(code)
                elif name and name != category.name:
                    category.name = name
                    category.save(update_fields=["name"])
                    changed.add(code)
            parent_codes = {p for (_, _, p) in rows.values() if p and p not in existing}
            existing.update({c.code: c for c in ProductCategory.objects.filter(code__in=list(parent_codes))})
            for code, (row_no, _name, parent_code) in rows.items():
                category = existing.get(code)
                if category is None:
                    continue
                parent = existing.get(parent_code) if parent_code else None
                if parent_code and parent is None:
                    report.add_error(row_no, "parent_code", gettext("unknown category code %(parent_code)r") % {
                                                                "parent_code": parent_code,
                                                            })
                    continue
                if category.parent_id != (parent.pk if parent else None):
                    category.parent = parent
                    category.save(update_fields=["parent"])
                    changed.add(code)
            report.updated = len(changed) - report.created
            report.unchanged = len(rows) - len(changed)
            _check_category_cycles(report, rows, existing)
            if report.error_count or dry_run:
                raise Rollback
            report.applied = True
    except Rollback:
        pass
    return report


def _check_category_cycles(report: IngestReport, rows: dict, existing: dict[str, ProductCategory]) -> None:
    parents = dict(ProductCategory.objects.values_list("id", "parent_id"))
    for code, (row_no, _name, _parent) in rows.items():
        category = existing.get(code)
        if category is None:
            continue
        seen, node = {category.pk}, parents.get(category.pk)
        while node is not None:
            if node in seen:
                report.add_error(row_no, "parent_code", gettext("category %(code)r would become its own "
                                                                "ancestor") % {"code": code})
                break
            seen.add(node)
            node = parents.get(node)


class _ProductBatch:
    def __init__(self, report: IngestReport, account_id: int | None, create_missing: bool) -> None:
        self.report = report
        self.account_id = account_id
        self.create_missing = create_missing
        self.seen_skus: dict[str, int] = {}
        self.seen_barcodes: dict[str, tuple[str, int]] = {}
        self.seen_refs: dict[str, int] = {}
        self.categories: dict[str, int] = {}
        self.now = timezone.now()
        self.barcodes_moved = 0

    def parse(self, row_no: int, row: Mapping[str, Any]) -> dict[str, Any] | None:
        report = self.report
        before = report.error_count
        item: dict[str, Any] = {"row": row_no}
        raw_sku = row.get("sku")
        if is_empty(raw_sku):
            report.add_error(row_no, "sku", gettext("is required"))
            return None
        try:
            sku = parse_text(raw_sku, max_length=100)
        except ValueError as exc:
            report.add_error(row_no, "sku", str(exc))
            return None
        if sku in self.seen_skus:
            report.add_error(row_no, "sku", gettext("duplicate SKU %(sku)r: also on row %(seen_skus)s") % {
                                                "sku": sku,
                                                "seen_skus": self.seen_skus[sku],
                                            })
            return None
        self.seen_skus[sku] = row_no
        item["sku"] = sku
        for column, max_length in (("name", 255), ("unit", 20)):
            if not is_empty(row.get(column)):
                try:
                    item[column] = parse_text(row[column], max_length=max_length)
                except ValueError as exc:
                    report.add_error(row_no, column, str(exc))
        if not is_empty(row.get("kind")):
            kind = _KIND_BY_WORD.get(str(row["kind"]).strip().lower())
            if kind is None:
                report.add_error(row_no, "kind", gettext("%(kind)r is not one of %(values)s") % {
                                                     "kind": row['kind'],
                                                     "values": ', '.join(ProductKind.values),
                                                 })
            item["kind"] = kind
        if not is_empty(row.get("list_price")):
            try:
                item["list_price"] = to_decimal(parse_number(row["list_price"], max_abs=1e14, minimum=0), 2)
            except ValueError as exc:
                report.add_error(row_no, "list_price", str(exc))
        if not is_empty(row.get("is_active")):
            try:
                item["is_active"] = parse_bool(row["is_active"])
            except ValueError as exc:
                report.add_error(row_no, "is_active", str(exc))
        if not is_empty(row.get("category_code")):
            item["category_code"] = strip_control_characters(str(row["category_code"])).strip()[:64]
            if not is_empty(row.get("category_name")):
                item["category_name"] = strip_control_characters(str(row["category_name"])).strip()[:255]
        barcodes = row.get("barcodes")
        if is_empty(barcodes) if not isinstance(barcodes, (list, tuple, set)) else not barcodes:
            barcodes = [row.get("barcode")] if not is_empty(row.get("barcode")) else []
        elif isinstance(barcodes, str):
            barcodes = [b for b in _BARCODE_SPLIT.split(barcodes) if b]
        clean: list[str] = []
        for barcode in barcodes:
            try:
                code = parse_text(barcode, max_length=64)
            except ValueError as exc:
                report.add_error(row_no, "barcodes", f"barcode {exc}")
                continue
            owner = self.seen_barcodes.get(code)
            if owner and owner[0] != sku:
                report.add_error(row_no, "barcodes", gettext("barcode %(code)s is also given to SKU "
                                                             "%(owner)r on row %(owner2)s") % {
                                                         "code": code,
                                                         "owner": owner[0],
                                                         "owner2": owner[1],
                                                     })
                continue
            self.seen_barcodes[code] = (sku, row_no)
            if code not in clean:
                clean.append(code)
        item["barcodes"] = clean
        if not is_empty(row.get("external_id")):
            if self.account_id is None:
                report.add_error(row_no, "external_id", gettext("needs an integration account (pass account=…)"))
            else:
                external_id = str(row["external_id"]).strip()[:100]
                if external_id in self.seen_refs:
                    report.add_error(row_no, "external_id", gettext("duplicate external id %(external_id)r: "
                                                                    "also on row %(seen_refs)s") % {
                                                                "external_id": external_id,
                                                                "seen_refs": self.seen_refs[external_id],
                                                            })
                self.seen_refs[external_id] = row_no
                item["external_id"] = external_id
        return item if report.error_count == before else None

    def resolve_categories(self, items: list[dict[str, Any]]) -> None:
        wanted = {i["category_code"] for i in items if "category_code" in i} - set(self.categories)
        if wanted:
            self.categories.update(ProductCategory.objects.filter(code__in=list(wanted)).values_list("code", "id"))
        for item in items:
            code = item.pop("category_code", None)
            name = item.pop("category_name", None)
            if code is None:
                continue
            if code not in self.categories:
                if not self.create_missing:
                    self.report.add_error(item["row"], "category_code", gettext("unknown category code %(code)r") % {
                                                                            "code": code,
                                                                        })
                    item["invalid"] = True
                    continue
                self.categories[code] = ProductCategory.objects.create(code=code, name=name or code).pk
            item["category_id"] = self.categories[code]

    def apply(self, items: list[dict[str, Any]]) -> None:
        report = self.report
        items = [i for i in items if not i.get("invalid")]
        existing: dict[str, Product] = {}
        skus = [i["sku"] for i in items]
        for start in range(0, len(skus), LOOKUP_CHUNK):
            existing.update({p.sku: p for p in Product.objects.filter(sku__in=skus[start : start + LOOKUP_CHUNK])})
        new: list[Product] = []
        changed: list[Product] = []
        for item in items:
            product = existing.get(item["sku"])
            if product is None:
                if not item.get("name"):
                    report.add_error(item["row"], "name", gettext("is required for the new product %(sku)r") % {
                                                              "sku": item['sku'],
                                                          })
                    continue
                product = Product(sku=item["sku"], **{f: item[f] for f in PRODUCT_FIELDS if f in item})
                new.append(product)
                existing[item["sku"]] = product
                continue
            dirty = False
            for name in PRODUCT_FIELDS:
                if name in item and _differs(getattr(product, name), item[name]):
                    setattr(product, name, item[name])
                    dirty = True
            if dirty:
                product.updated_at = self.now
                changed.append(product)
            else:
                report.unchanged += 1
        if report.error_count:
            return
        Product.objects.bulk_create(new, batch_size=LOOKUP_CHUNK)
        Product.objects.bulk_update(changed, [*PRODUCT_FIELDS, "updated_at"], batch_size=LOOKUP_CHUNK)
        report.created += len(new)
        report.updated += len(changed)
        self._apply_barcodes(items, existing)
        self._apply_refs(items, existing)

    def _apply_barcodes(self, items: list[dict[str, Any]], products: dict[str, Product]) -> None:
        wanted = {code: products[i["sku"]].pk for i in items for code in i["barcodes"]}
        if not wanted:
            return
        codes = list(wanted)
        current: dict[str, ProductBarcode] = {}
        for start in range(0, len(codes), LOOKUP_CHUNK):
            current.update({b.barcode: b for b in ProductBarcode.objects.filter(barcode__in=codes[start:start + 500])})
        moved = []
        for code, product_id in wanted.items():
            barcode = current.get(code)
            if barcode is not None and barcode.product_id != product_id:
                barcode.product_id = product_id
                moved.append(barcode)
        ProductBarcode.objects.bulk_update(moved, ["product"], batch_size=LOOKUP_CHUNK)
        ProductBarcode.objects.bulk_create(
            [ProductBarcode(barcode=code, product_id=pid) for code, pid in wanted.items() if code not in current],
            batch_size=LOOKUP_CHUNK,
        )
        self.barcodes_moved += len(moved)

    def _apply_refs(self, items: list[dict[str, Any]], products: dict[str, Product]) -> None:
        wanted = {i["external_id"]: products[i["sku"]].pk for i in items if "external_id" in i}
        if not wanted:
            return
        ids = list(wanted)
        current: dict[str, ProductSourceRef] = {}
        for start in range(0, len(ids), LOOKUP_CHUNK):
            refs = ProductSourceRef.objects.filter(account_id=self.account_id, external_id__in=ids[start:start + 500])
            current.update({r.external_id: r for r in refs})
        for ref in current.values():
            ref.product_id = wanted[ref.external_id]
            ref.synced_at = self.now
        ProductSourceRef.objects.bulk_update(list(current.values()), ["product", "synced_at"], batch_size=500)
        ProductSourceRef.objects.bulk_create(
            [ProductSourceRef(account_id=self.account_id, external_id=e, product_id=pid, synced_at=self.now)
             for e, pid in wanted.items() if e not in current],
            batch_size=LOOKUP_CHUNK,
        )


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(current) != Decimal(new)
    return current != new


def upsert_products(
    products: Iterable[Mapping[str, Any]],
    *,
    account=None,
    create_missing: bool = True,
    batch_size: int = 5_000,
    progress=None,
    dry_run: bool = False,
    first_row: int = 1,
    max_errors: int = 1000,
) -> IngestReport:
    """Create or update products by SKU with categories, barcodes and the account's external ids; all or nothing."""
    report = IngestReport(dry_run=dry_run, max_errors=max_errors)
    batch = _ProductBatch(report, getattr(account, "pk", account), create_missing)
    try:
        with transaction.atomic():
            row_no = first_row
            for chunk in chunks(products, batch_size):
                items = []
                for offset, row in enumerate(chunk):
                    item = batch.parse(row.get("_row") or row_no + offset, row)
                    if item is not None:
                        items.append(item)
                row_no += len(chunk)
                report.rows += len(chunk)
                batch.resolve_categories(items)
                if not report.error_count:
                    batch.apply(items)
                if progress is not None:
                    progress(report.rows)
            if batch.barcodes_moved:
                report.warnings.append(f"{batch.barcodes_moved} barcodes moved to another product")
            if report.error_count or dry_run:
                raise Rollback
            report.applied = True
    except Rollback:
        pass
    return report
