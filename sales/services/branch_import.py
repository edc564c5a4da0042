"""The "branches" import kind: manual locations from a file, written through the branches app's org-feed service.

``import_branches(rows, *, dry_run=False, first_row=1, max_errors=1000) -> IngestReport``
    Mappings keyed ``code`` (required; becomes the location code and, for manual rows, the external id),
    ``name`` (required), ``parent_code`` (another row of the file or an existing manual location), ``type``
    (a LocationType, default BRANCH), ``code_tco``, ``taxpayer_id_number``.

Rows are plain manual ``Location`` rows (source empty, external id = code), saved through the model so
``tree_path`` stays right. A parent may be any location whose code resolves (see ``sales.services.lookups``),
so manual branches can hang below a synced 1C group. Branches missing from the file are left alone.
(``branches.services.org_sync.apply_org_feed(None, …)`` was not used: it treats its input as the complete
manual tree and would re-root manual rows whose parent comes from a source.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from branches.choices import LocationType
from branches.models import Location
from sales.services.lookups import AmbiguousCode, LocationResolver
from sales.services.parsing import is_empty, parse_text
from sales.services.reports import IngestReport, Rollback

_TYPES = {t.lower(): t for t in LocationType.values}


def import_branches(
    rows: Iterable[Mapping[str, Any]], *, dry_run: bool = False, first_row: int = 1, max_errors: int = 1000
) -> IngestReport:
    """Create or update manual branches by code (all or nothing)."""
    report = IngestReport(dry_run=dry_run, max_errors=max_errors)
    parsed: dict[str, tuple[int, dict[str, str]]] = {}
    for index, row in enumerate(rows):
        row_no = row.get("_row") or first_row + index
        report.rows += 1
        before = report.error_count
        values: dict[str, str] = {}
        for column, limit in (("code", 64), ("name", 255), ("parent_code", 64), ("code_tco", 64),
                              ("taxpayer_id_number", 20), ("type", 20)):
            raw = row.get(column)
            try:
                values[column] = "" if is_empty(raw) else parse_text(raw, max_length=limit)
            except ValueError as exc:
                report.add_error(row_no, column, str(exc))
        for column in ("code", "name"):
            if before == report.error_count and not values.get(column):
                report.add_error(row_no, column, gettext("is required"))
        type_ = _TYPES.get(values.get("type", "").lower() or "branch")
        if type_ is None:
            report.add_error(row_no, "type", gettext("%(type)r is not one of %(values)s") % {
                                                 "type": values['type'],
                                                 "values": ', '.join(LocationType.values),
                                             })
        code = values.get("code", "")
        if code and code in parsed:
            report.add_error(row_no, "code", gettext("duplicate code %(code)r: also on row %(parsed)s") % {
                                                 "code": code,
                                                 "parsed": parsed[code][0],
                                             })
        if code and values.get("parent_code") == code:
            report.add_error(row_no, "parent_code", gettext("branch %(code)r cannot be its own parent") % {
                                                        "code": code,
                                                    })
        if report.error_count != before:
            continue
        parsed[code] = (row_no, {**values, "type": type_})
    try:
        with transaction.atomic():
            _write(parsed, report)
            if report.error_count or dry_run:
                raise Rollback
            report.applied = True
    except Rollback:
        pass
    return report


def _write(parsed: dict[str, tuple[int, dict[str, str]]], report: IngestReport) -> None:
    manual = {
        loc.external_id: loc for loc in Location.objects.filter(source__isnull=True, external_id__in=list(parsed))
    }
    resolver = LocationResolver()
    placed: dict[str, Location] = {}

    def place(code: str, trail: tuple[str, ...] = ()) -> Location | None:
        if code in placed:
            return placed[code]
        row_no, values = parsed[code]
        parent_code = values["parent_code"]
        parent = None
        if parent_code:
            if parent_code in trail:
                report.add_error(row_no, "parent_code", gettext("branch %(code)r would become its own "
                                                                "ancestor") % {"code": code})
                return None
            if parent_code in parsed:
                parent = place(parent_code, (*trail, code))
                if parent is None:
                    return None
            else:
                try:
                    parent_id = resolver.resolve(parent_code)
                except AmbiguousCode as exc:
                    report.add_error(row_no, "parent_code", str(exc))
                    return None
                if parent_id is None:
                    report.add_error(row_no, "parent_code", gettext("unknown parent code %(parent_code)r: "
                                                                    "add it to the file or create the parent "
                                                                    "branch first") % {
                                                                "parent_code": parent_code,
                                                            })
                    return None
                parent = Location.objects.get(pk=parent_id)
        location = manual.get(code)
        wanted = {"code": code, "name": values["name"], "type": values["type"], "code_tco": values["code_tco"],
                  "taxpayer_id_number": values["taxpayer_id_number"], "parent_id": parent.pk if parent else None}
        if location is None:
            location = Location(source=None, external_id=code, **wanted)
            report.created += 1
        elif any(getattr(location, key) != value for key, value in wanted.items()) or not location.is_active:
            for key, value in wanted.items():
                setattr(location, key, value)
            location.is_active = True
            report.updated += 1
        else:
            report.unchanged += 1
            placed[code] = location
            return location
        try:
            location.save()  # save() keeps tree_path/depth right, subtree included
        except ValidationError as exc:
            report.add_error(row_no, "parent_code", "; ".join(exc.messages))
            return None
        placed[code] = location
        return location

    for code in parsed:
        place(code)
