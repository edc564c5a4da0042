"""BOM validation, multi-level explosion, where-used search and variants.

Graph conventions: an edge product → component exists for every line of every *active* BOM (all variants,
so a cycle hidden in a non-default variant is still found before someone makes it the default). Explosion
and MRP follow only each product's *default* active BOM. A component with a default BOM of its own is
exploded further (multi-level); one without is a leaf (bought material, or a stocked item).

Quantities: a BOM's lines are per batch of `output_quantity` units of its product, and scrap is extra
consumption: required(component) = parent quantity / output_quantity × line quantity × (1 + scrap% / 100).
Scrap is applied at every level, so a semi-finished product's scrap compounds into its materials.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext

from core.errors import DomainError
from planning.choices import BomProblemCode
from planning.models import BillOfMaterials, BomLine
from sales.models import Product

QUANTUM = Decimal("0.001")
HUNDRED = Decimal("100")


class BomError(DomainError):
    """A BOM request that cannot be carried out (400)."""


class BomCycleError(BomError):
    def __init__(self, path: list[str]) -> None:
        self.path = path
        super().__init__(gettext("The BOM structure has a cycle: %(path)s. Fix it with POST /bom/validate first.")
                         % {"path": " → ".join(path)},
                         status=422, code="bom_cycle", extra={"path": path})


class BomValidationError(BomError):
    def __init__(self, problems: list[BomProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems), code="bom_invalid")

    def as_dict(self) -> dict:
        """Every problem's message under ``lines``, and the problems themselves."""
        return {"lines": [p.message for p in self.problems], "problems": [p.as_dict() for p in self.problems],
                "code": self.code}


@dataclass(frozen=True)
class BomProblem:
    code: str
    message: str
    path: tuple[str, ...]
    line: int | None = None  # index of the line in the submitted draft, or the stored line id
    bom_id: int | None = None
    severity: str = "error"

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": list(self.path),
            "line": self.line,
            "bom": self.bom_id,
        }


@dataclass
class DraftLine:
    component_id: int | None
    quantity: Decimal
    unit: str | None = None
    scrap_percent: Decimal = Decimal("0")
    component_sku: str | None = None


@dataclass
class DraftBom:
    product_id: int
    lines: list[DraftLine]
    bom_id: int | None = None  # the stored BOM this draft would replace
    output_quantity: Decimal = Decimal("1")


@dataclass
class ExplodedComponent:
    product_id: int
    sku: str
    name: str
    unit: str
    quantity: Decimal
    paths: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "product": self.product_id,
            "sku": self.sku,
            "name": self.name,
            "unit": self.unit,
            "quantity": str(self.quantity),
            "paths": self.paths,
        }


@dataclass
class _Line:
    component_id: int
    quantity: Decimal
    scrap_percent: Decimal


@dataclass
class BomGraph:
    """Active BOM lines in memory: `edges` over all active variants, `default` = the default BOM's lines."""

    edges: dict[int, set[int]]
    default_lines: dict[int, list[_Line]]
    default_output: dict[int, Decimal]
    default_bom_id: dict[int, int]
    products: dict[int, tuple[str, str, str]]  # id → (sku, name, unit)
    bom_components: dict[int, tuple[int, set[int]]] = field(default_factory=dict)  # bom → (product, components)

    def edges_without(self, product_id: int, bom_id: int) -> set[int]:
        """The product's component edges from its active BOMs other than `bom_id`."""
        return {
            comp
            for other, (prod, comps) in self.bom_components.items()
            if prod == product_id and other != bom_id
            for comp in comps
        }

    @classmethod
    def load(cls) -> BomGraph:
        edges: dict[int, set[int]] = defaultdict(set)
        default_lines: dict[int, list[_Line]] = defaultdict(list)
        boms = {
            b.pk: b for b in BillOfMaterials.objects.filter(is_active=True).only("id", "product_id", "is_default",
                                                                                  "output_quantity")
        }
        default_output = {b.product_id: b.output_quantity for b in boms.values() if b.is_default}
        default_bom_id = {b.product_id: b.pk for b in boms.values() if b.is_default}
        lines = BomLine.objects.filter(bom_id__in=list(boms)).values_list(
            "bom_id", "component_id", "quantity", "scrap_percent"
        )
        product_ids: set[int] = set()
        bom_components: dict[int, tuple[int, set[int]]] = {}
        for bom_id, component_id, quantity, scrap in lines:
            bom = boms[bom_id]
            edges[bom.product_id].add(component_id)
            bom_components.setdefault(bom_id, (bom.product_id, set()))[1].add(component_id)
            product_ids.update((bom.product_id, component_id))
            if bom.is_default:
                default_lines[bom.product_id].append(_Line(component_id, quantity, scrap))
        rows = Product.objects.filter(pk__in=product_ids).values_list("id", "sku", "name", "unit")
        products = {pk: (sku, name, unit) for pk, sku, name, unit in rows}
        return cls(dict(edges), dict(default_lines), default_output, default_bom_id, products, bom_components)

    def sku(self, product_id: int) -> str:
        return self.products.get(product_id, (f"#{product_id}",))[0]

    def ensure_products(self, ids: Iterable[int]) -> None:
        missing = [pk for pk in ids if pk not in self.products]
        if missing:
            for pk, sku, name, unit in Product.objects.filter(pk__in=missing).values_list("id", "sku", "name", "unit"):
                self.products[pk] = (sku, name, unit)

    def one_level(self, product_id: int, quantity: Decimal) -> dict[int, Decimal]:
        """Direct component requirements of producing `quantity` of the product with its default BOM."""
        out: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
        output = self.default_output.get(product_id)
        for line in self.default_lines.get(product_id, []):
            out[line.component_id] += line_requirement(quantity, output, line.quantity, line.scrap_percent)
        return dict(out)

    def low_level_codes(self) -> dict[int, int]:
        """Deepest level at which each product appears under default BOMs (0 = top); cycles are cut."""
        codes: dict[int, int] = {}

        def visit(product_id: int, level: int, stack: frozenset[int]) -> None:
            if codes.get(product_id, -1) >= level and level > 0:
                return
            codes[product_id] = max(codes.get(product_id, 0), level)
            for line in self.default_lines.get(product_id, []):
                if line.component_id not in stack:
                    visit(line.component_id, level + 1, stack | {line.component_id})

        for product_id in list(self.default_lines):
            visit(product_id, codes.get(product_id, 0), frozenset({product_id}))
        return codes


def line_requirement(parent_quantity: Decimal, output_quantity: Decimal | None, line_quantity: Decimal,
                     scrap_percent: Decimal) -> Decimal:
    output = output_quantity or Decimal("1")
    return parent_quantity / output * line_quantity * (1 + scrap_percent / HUNDRED)


def q3(value: Decimal) -> Decimal:
    return value.quantize(QUANTUM, rounding=ROUND_HALF_UP)


# --- validation -----------------------------------------------------------------------------------------


def _find_path(edges: dict[int, set[int]], start: int, target: int) -> list[int] | None:
    """A path start → … → target over `edges` (depth-first), or None."""
    stack: list[tuple[int, list[int]]] = [(start, [start])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node == target:
            return path
        if node in seen:
            continue
        seen.add(node)
        for nxt in sorted(edges.get(node, ()), reverse=True):
            stack.append((nxt, [*path, nxt]))
    return None


def validate_bom_draft(draft: DraftBom, graph: BomGraph | None = None) -> list[BomProblem]:
    """Every problem of a BOM as submitted (before saving), each named with the path where it occurs."""
    graph = graph or BomGraph.load()
    ids = [line.component_id for line in draft.lines if line.component_id is not None]
    graph.ensure_products([draft.product_id, *ids])
    root = graph.sku(draft.product_id)
    problems: list[BomProblem] = []
    if not draft.lines:
        problems.append(BomProblem(BomProblemCode.EMPTY, f"BOM of {root} has no lines.", (root,), None, draft.bom_id))
    if draft.output_quantity is not None and draft.output_quantity <= 0:
        problems.append(BomProblem(
            BomProblemCode.NON_POSITIVE_QUANTITY,
            f"BOM of {root}: output_quantity must be greater than 0, got {draft.output_quantity:f}.",
            (root,), None, draft.bom_id,
        ))
    # Edges of the product as they would be after saving: other active variants + this draft.
    edges = {k: set(v) for k, v in graph.edges.items()}
    if draft.bom_id is not None:
        edges[draft.product_id] = graph.edges_without(draft.product_id, draft.bom_id)
    seen_components: dict[int, int] = {}
    for index, line in enumerate(draft.lines):
        if line.component_id is None or line.component_id not in graph.products:
            label = line.component_sku or (f"#{line.component_id}" if line.component_id is not None else "?")
            problems.append(BomProblem(
                BomProblemCode.UNKNOWN_COMPONENT,
                f"Line {index + 1} of {root}: component {label} does not exist.",
                (root, label), index, draft.bom_id,
            ))
            continue
        sku, _name, unit = graph.products[line.component_id]
        path = (root, sku)
        if line.component_id == draft.product_id:
            problems.append(BomProblem(
                BomProblemCode.SELF_COMPONENT, f"Line {index + 1}: {root} is listed as its own component.",
                path, index, draft.bom_id,
            ))
        if line.quantity is None or line.quantity <= 0:
            problems.append(BomProblem(
                BomProblemCode.NON_POSITIVE_QUANTITY,
                f"Line {index + 1} of {root}: quantity of {sku} must be greater than 0, got {line.quantity}.",
                path, index, draft.bom_id,
            ))
        if line.unit and line.unit != unit:
            problems.append(BomProblem(
                BomProblemCode.UNIT_MISMATCH,
                f"Line {index + 1} of {root}: {sku} is counted in '{unit}', the line says '{line.unit}'.",
                path, index, draft.bom_id,
            ))
        if line.scrap_percent is not None and not (0 <= line.scrap_percent < 100):
            problems.append(BomProblem(
                BomProblemCode.INVALID_SCRAP,
                f"Line {index + 1} of {root}: scrap of {sku} must be 0 ≤ scrap < 100 %, got {line.scrap_percent}.",
                path, index, draft.bom_id,
            ))
        if line.component_id in seen_components:
            problems.append(BomProblem(
                BomProblemCode.DUPLICATE_COMPONENT,
                f"Line {index + 1} of {root}: {sku} is already on line {seen_components[line.component_id] + 1}; "
                "merge the two lines.",
                path, index, draft.bom_id,  # an error: MRP would count one of the two lines or both, silently
            ))
        else:
            seen_components[line.component_id] = index
        if line.component_id != draft.product_id:
            back = _find_path(edges, line.component_id, draft.product_id)
            if back is not None:
                graph.ensure_products(back)
                names = (root, *(graph.sku(pk) for pk in back))
                problems.append(BomProblem(
                    BomProblemCode.CYCLE,
                    f"Line {index + 1} of {root}: cycle across levels {' → '.join(names)}.",
                    names, index, draft.bom_id,
                ))
    return problems


def validate_stored_boms(bom_ids: Iterable[int] | None = None) -> list[BomProblem]:
    """Validate saved BOMs (all active ones by default) with the same rules as a draft."""
    graph = BomGraph.load()
    boms = BillOfMaterials.objects.prefetch_related("lines")
    boms = boms.filter(pk__in=list(bom_ids)) if bom_ids is not None else boms.filter(is_active=True)
    problems: list[BomProblem] = []
    for bom in boms:
        draft = draft_from_bom(bom)
        found = validate_bom_draft(draft, graph)
        line_ids = [line.pk for line in bom.lines.all()]
        problems.extend(
            BomProblem(p.code, p.message, p.path, line_ids[p.line] if p.line is not None else None, bom.pk, p.severity)
            for p in found
        )
    return problems


def draft_from_bom(bom: BillOfMaterials) -> DraftBom:
    return DraftBom(
        product_id=bom.product_id,
        lines=[DraftLine(ln.component_id, ln.quantity, ln.unit, ln.scrap_percent) for ln in bom.lines.all()],
        bom_id=bom.pk,
        output_quantity=bom.output_quantity,
    )


# --- saving and variants --------------------------------------------------------------------------------


@transaction.atomic
def save_bom(
    draft: DraftBom,
    *,
    variant: str = "main",
    version: int = 1,
    is_default: bool | None = None,
    is_active: bool = True,
    notes: str = "",
) -> BillOfMaterials:
    """Create or replace a BOM and its lines after validation (errors raise; warnings do not).

    The first active BOM of a product becomes its default unless told otherwise; making one the default
    clears the flag on the product's other BOMs in the same transaction.
    """
    errors = [p for p in validate_bom_draft(draft) if p.severity == "error"]
    if errors:
        raise BomValidationError(errors)
    if draft.bom_id is not None:
        bom = BillOfMaterials.objects.select_for_update().get(pk=draft.bom_id)
    else:
        bom = BillOfMaterials(product_id=draft.product_id)
    has_default = BillOfMaterials.objects.filter(product_id=draft.product_id, is_default=True).exclude(pk=bom.pk)
    if is_default is None:
        is_default = bom.is_default if bom.pk else (is_active and not has_default.exists())
    if is_default:
        has_default.update(is_default=False)
    bom.product_id = draft.product_id
    bom.variant, bom.version, bom.is_active, bom.notes = variant, version, is_active, notes
    bom.is_default = is_default
    bom.output_quantity = draft.output_quantity
    bom.save()
    bom.lines.all().delete()
    units = dict(Product.objects.filter(pk__in=[ln.component_id for ln in draft.lines]).values_list("id", "unit"))
    BomLine.objects.bulk_create(
        BomLine(
            bom=bom,
            line_no=index + 1,
            component_id=line.component_id,
            quantity=line.quantity,
            unit=line.unit or units[line.component_id],
            scrap_percent=line.scrap_percent or Decimal("0"),
        )
        for index, line in enumerate(draft.lines)
    )
    return bom


@transaction.atomic
def set_default_bom(bom: BillOfMaterials) -> BillOfMaterials:
    """Make this BOM its product's default (and active); the product's other BOMs lose the flag."""
    bom = BillOfMaterials.objects.select_for_update().get(pk=bom.pk)
    if not bom.is_active:
        errors = [p for p in validate_stored_boms([bom.pk]) if p.severity == "error"]
        if errors:
            raise BomValidationError(errors)
    BillOfMaterials.objects.filter(product_id=bom.product_id, is_default=True).exclude(pk=bom.pk).update(
        is_default=False
    )
    bom.is_default, bom.is_active = True, True
    bom.save(update_fields=["is_default", "is_active", "updated_at"])
    return bom


@transaction.atomic
def create_variant(
    source: BillOfMaterials, *, variant: str | None = None, version: int | None = None, make_default: bool = False
) -> BillOfMaterials:
    """Copy a BOM with its lines as a new variant or version (next version number when not given)."""
    variant = variant or source.variant
    if version is None:
        latest = (
            BillOfMaterials.objects.filter(product_id=source.product_id, variant=variant)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        version = (latest or 0) + 1
    copy = BillOfMaterials.objects.create(
        product_id=source.product_id,
        variant=variant,
        version=version,
        is_default=False,
        is_active=True,
        output_quantity=source.output_quantity,
        notes=f"Copied from BOM {source.pk}. {source.notes}".strip(),
    )
    BomLine.objects.bulk_create(
        BomLine(
            bom=copy,
            line_no=line.line_no,
            component_id=line.component_id,
            quantity=line.quantity,
            unit=line.unit,
            scrap_percent=line.scrap_percent,
            notes=line.notes,
        )
        for line in source.lines.all()
    )
    if make_default:
        copy = set_default_bom(copy)
    return copy


# --- explosion and where-used ---------------------------------------------------------------------------


def explode(product_id: int, quantity: Decimal, graph: BomGraph | None = None,
            bom: BillOfMaterials | None = None) -> list[ExplodedComponent]:
    """Leaf component requirements to make `quantity` of a product, through all levels.

    The first level uses `bom` when given (any variant), deeper levels each component's default BOM.
    Shared components are summed into one line; `paths` says through which parents each was reached.
    """
    graph = graph or BomGraph.load()
    totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
    paths: dict[int, list[str]] = defaultdict(list)

    if bom is not None:
        first_lines = [_Line(ln.component_id, ln.quantity, ln.scrap_percent) for ln in bom.lines.all()]
        first_output = bom.output_quantity
    else:
        first_lines = graph.default_lines.get(product_id, [])
        first_output = graph.default_output.get(product_id)
    graph.ensure_products([product_id, *(ln.component_id for ln in first_lines)])

    def walk(lines: list[_Line], output: Decimal | None, parent_qty: Decimal, stack: list[int]) -> None:
        for line in lines:
            need = line_requirement(parent_qty, output, line.quantity, line.scrap_percent)
            if line.component_id in stack:
                raise BomCycleError([graph.sku(pk) for pk in [*stack, line.component_id]])
            sub = graph.default_lines.get(line.component_id)
            if sub:
                walk(sub, graph.default_output.get(line.component_id), need, [*stack, line.component_id])
            else:
                totals[line.component_id] += need
                path = " → ".join(graph.sku(pk) for pk in [*stack, line.component_id])
                if path not in paths[line.component_id]:
                    paths[line.component_id].append(path)

    walk(first_lines, first_output, quantity, [product_id])
    graph.ensure_products(totals)
    result = []
    for component_id, total in totals.items():
        sku, name, unit = graph.products[component_id]
        result.append(ExplodedComponent(component_id, sku, name, unit, q3(total), paths[component_id]))
    return sorted(result, key=lambda c: c.sku)


def bom_requirements(bom: BillOfMaterials, quantity: Decimal) -> dict[int, Decimal]:
    """Direct (one-level) component quantities to make `quantity` with this BOM, rounded to 0.001."""
    out: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
    for line in bom.lines.all():
        out[line.component_id] += line_requirement(quantity, bom.output_quantity, line.quantity, line.scrap_percent)
    return {pk: q3(v) for pk, v in out.items() if q3(v) > 0}


@dataclass(frozen=True)
class WhereUsed:
    bom_id: int
    product_id: int
    level: int
    path: tuple[str, ...]


def where_used(component_id: int, max_levels: int = 20) -> list[WhereUsed]:
    """Every active BOM that needs the component, directly (level 1) or through sub-assemblies (level n)."""
    rows = list(
        BomLine.objects.filter(bom__is_active=True).values_list("bom_id", "bom__product_id", "component_id")
    )
    users: dict[int, list[tuple[int, int]]] = defaultdict(list)  # component → [(bom, parent product)]
    for bom_id, parent_id, comp_id in rows:
        users[comp_id].append((bom_id, parent_id))
    product_ids = {component_id} | {p for _, p, _ in rows}
    skus = dict(Product.objects.filter(pk__in=product_ids).values_list("id", "sku"))
    found: dict[int, WhereUsed] = {}
    frontier: list[tuple[int, tuple[int, ...]]] = [(component_id, (component_id,))]
    level = 0
    while frontier and level < max_levels:
        level += 1
        next_frontier = []
        for comp, chain in frontier:
            for bom_id, parent_id in users.get(comp, []):
                if bom_id in found or parent_id in chain:
                    continue
                path = tuple(skus.get(pk, f"#{pk}") for pk in (parent_id, *chain))
                found[bom_id] = WhereUsed(bom_id, parent_id, level, path)
                next_frontier.append((parent_id, (parent_id, *chain)))
        frontier = next_frontier
    return sorted(found.values(), key=lambda w: (w.level, w.bom_id))
