"""Cheaper list pages with the same JSON: a list serializer that plans each field's read once per list.

DRF serializes a list row by row and field by field through generic machinery: a generator over the readable
fields, `Field.get_attribute` (a `Mapping` check, a callable check and a `try` per attribute of the source) and, for
each date-time, a look-up of the current time zone. For a 50-row page of 20 fields that was about half the CPU of
the branches and products pages. `CompiledListSerializer` resolves, once per list, how every readable field of the
child reads a row, and then reads each row with plain attribute access:

* a `SerializerMethodField` calls its method (DRF hands it the row itself);
* a `PrimaryKeyRelatedField` on a foreign key reads the key's column (`parent_id`), as DRF's pk-only optimisation
  does through `serializable_value`;
* any other field whose class keeps DRF's own `get_attribute` walks its source with `getattr`, then calls the
  field's own `to_representation` (date-times with the request's time zone pinned on the field once, which is what
  DRF looks up per value);
* everything else (nested serializers, fields with their own `get_attribute`, `source="*"`), and any row where the
  plain walk meets something unusual (a missing relation, a callable, an exception), goes through DRF's generic
  path for that field, so the output is DRF's output, key for key and in the same order
  (tests/core/test_fast_lists.py compares them).

A child serializer that overrides `to_representation` is serialized by DRF as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers
from rest_framework.fields import DateTimeField, Field, SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField

_SKIP = object()  # a field DRF leaves out of this row (SkipField)

Reader = Callable[[Any], Any]


def _generic(field: Field) -> Reader:
    """DRF's own per-field steps (Serializer.to_representation), for fields and rows the plan does not cover."""

    def read(instance: Any) -> Any:
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)

    return read


def _walk(field: Field, attrs: list[str], fallback: Reader) -> Reader:
    """Plain `getattr` along the source; anything DRF treats specially (a missing related row, a callable, a
    mapping on the way, an exception) is left to DRF's path."""
    represent = field.to_representation
    if isinstance(field, DateTimeField) and not hasattr(field, "timezone"):
        # DRF asks for the current zone on every value; it does not change within one list.
        field.timezone = field.default_timezone()
    if len(attrs) == 1:
        (attr,) = attrs

        def read_one(instance: Any) -> Any:
            try:
                value = getattr(instance, attr)
            except Exception:  # AttributeError, ObjectDoesNotExist, …: DRF decides
                return fallback(instance)
            if value is None:
                return None
            if callable(value):
                return fallback(instance)
            return represent(value)

        return read_one

    def read_path(instance: Any) -> Any:
        value = instance
        try:
            for attr in attrs:
                if value is None or callable(value) or isinstance(value, Mapping):
                    return fallback(instance)  # a missing relation (DRF's default, null or skip), a call, a key
                value = getattr(value, attr)
        except Exception:
            return fallback(instance)
        if value is None:
            return None
        if callable(value):
            return fallback(instance)
        return represent(value)

    return read_path


def _foreign_key_column(field: PrimaryKeyRelatedField, model: type[models.Model] | None) -> str | None:
    if (model is None or field.pk_field is not None or len(field.source_attrs) != 1
            or not field.use_pk_only_optimization()):
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if not (model_field.many_to_one or model_field.one_to_one) or not model_field.concrete:
        return None
    return model_field.attname


def _reader(child: serializers.Serializer, field: Field, model: type[models.Model] | None) -> Reader:
    fallback = _generic(field)
    if type(field) is serializers.SerializerMethodField:
        return getattr(child, field.method_name)
    if type(field) is PrimaryKeyRelatedField:
        column = _foreign_key_column(field, model)
        if column is not None:

            def read_key(instance: Any) -> Any:
                try:
                    return getattr(instance, column)
                except AttributeError:  # not a row of the model: DRF decides
                    return fallback(instance)

            return read_key
        return fallback
    if field.source != "*" and field.source_attrs and type(field).get_attribute is Field.get_attribute:
        return _walk(field, list(field.source_attrs), fallback)
    return fallback


def with_related_names(queryset: models.QuerySet, *related: str) -> models.QuerySet:
    """A list's queryset loading its own columns and, of its select_related rows, only the ``related`` ones it shows
    (``"location__code"``): whole related rows cost their columns' parsing on every row of the page."""
    return queryset.only(*(field.name for field in queryset.model._meta.concrete_fields), *related)


class CompiledListSerializer(serializers.ListSerializer):
    """`list_serializer_class` of a hot list's serializer: same rows as DRF's ListSerializer, planned once."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        iterable: Iterable[Any] = data.all() if isinstance(data, models.manager.BaseManager) else data
        child = self.child
        if type(child).to_representation is not serializers.Serializer.to_representation:
            return [child.to_representation(item) for item in iterable]
        plan = self.__dict__.get("_plan")
        if plan is None:  # once per serializer: a nested list (e.g. a product's source refs) is called per row
            model = getattr(getattr(child, "Meta", None), "model", None)
            plan = self._plan = [(field.field_name, _reader(child, field, model)) for field in child._readable_fields]
        rows = []
        for item in iterable:
            row = {}
            for name, read in plan:
                value = read(item)
                if value is not _SKIP:
                    row[name] = value
            rows.append(row)
        return rows
