"""Bulk BOM upsert from flat lines (parent SKU, component SKU, quantity, unit, scrap %): demo data and imports.

Each parent gets (or keeps) its default BOM, variant "main" version 1, whose lines are replaced when they
differ; an unchanged BOM is left alone, so re-running is a no-op. Every BOM goes through `save_bom`, so the
same validation as the API applies (cycles, units, quantities); a refused BOM is reported, not raised.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from planning.models import BillOfMaterials
from planning.services.bom import BomValidationError, DraftBom, DraftLine, save_bom
from sales.models import Product

DEFAULT_VARIANT = "main"


@dataclass
class BomImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)
    unknown_skus: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.refused:
            text += f", {len(self.refused)} refused"
        if self.unknown_skus:
            text += f", {len(self.unknown_skus)} unknown SKUs skipped"
        return text


def _decimal(value: object) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def upsert_boms_from_lines(lines: Iterable[Mapping]) -> BomImportReport:
    """Create or update one default BOM per parent SKU from its lines (see the module docstring)."""
    by_parent: dict[str, list[Mapping]] = defaultdict(list)
    for line in lines:
        by_parent[line["parent_sku"]].append(line)
    skus = set(by_parent) | {ln["component_sku"] for group in by_parent.values() for ln in group}
    ids = dict(Product.objects.filter(sku__in=skus).values_list("sku", "id"))
    report = BomImportReport(unknown_skus=sorted(skus - set(ids)))
    existing = {
        bom.product_id: bom
        for bom in BillOfMaterials.objects.filter(product_id__in=[ids[s] for s in by_parent if s in ids],
                                                  variant=DEFAULT_VARIANT, version=1).prefetch_related("lines")
    }
    # Components first, so a parent's validation sees its sub-assemblies' final lines.
    for parent_sku in sorted(by_parent, key=lambda sku: _depth(sku, by_parent)):
        if parent_sku not in ids:
            continue
        draft_lines = [
            DraftLine(ids[ln["component_sku"]], _decimal(ln["quantity"]), ln.get("unit") or None,
                      _decimal(ln.get("scrap_pct") or 0))
            for ln in by_parent[parent_sku]
            if ln["component_sku"] in ids
        ]
        bom = existing.get(ids[parent_sku])
        if bom is not None and _same_lines(bom, draft_lines):
            report.unchanged += 1
            continue
        draft = DraftBom(ids[parent_sku], draft_lines, bom.pk if bom else None, Decimal("1"))
        try:
            save_bom(draft, variant=DEFAULT_VARIANT, version=1, is_default=True if bom is None else None,
                     notes="imported")
        except BomValidationError as exc:
            report.refused.append(f"{parent_sku}: {exc}")
            continue
        if bom is None:
            report.created += 1
        else:
            report.updated += 1
    return report


def _same_lines(bom: BillOfMaterials, lines: list[DraftLine]) -> bool:
    stored = sorted((ln.component_id, ln.quantity, ln.scrap_percent) for ln in bom.lines.all())
    wanted = sorted((ln.component_id, ln.quantity.quantize(Decimal("0.001")),
                     ln.scrap_percent.quantize(Decimal("0.01"))) for ln in lines)
    return stored == wanted


def _depth(sku: str, by_parent: Mapping[str, list[Mapping]], seen: frozenset[str] = frozenset()) -> int:
    """How many BOM levels are below this SKU (0 = made of materials only); cycles are cut."""
    children = [ln["component_sku"] for ln in by_parent.get(sku, []) if ln["component_sku"] in by_parent]
    if not children or sku in seen:
        return 0
    return 1 + max(_depth(c, by_parent, seen | {sku}) for c in children)
