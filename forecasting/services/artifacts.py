"""Trained models on disk (under ARTIFACTS_ROOT): written once per training run, shared by reuse runs."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.utils.translation import gettext

from forecasting.models import ModelRun
from forecasting.services.errors import ModelUnavailable

logger = logging.getLogger("forecasting")


def store_model(run: ModelRun, blob: bytes) -> tuple[str, str]:
    """Write the model bytes for ``run``; returns (stored name, sha256). Does not save the run."""
    field = run.model_file.field
    name = field.generate_filename(run, f"run-{run.pk}.json.gz")
    stored = field.storage.save(name, ContentFile(blob))
    return stored, hashlib.sha256(blob).hexdigest()


def load_model_bytes(run: ModelRun) -> bytes:
    """The stored model of ``run``, checked against its recorded sha256."""
    if not run.model_file:
        raise ModelUnavailable(
            gettext("run: run #%(run_id)s has no stored model (status %(status)s); use a succeeded training "
                    "run") % {"run_id": run.pk, "status": run.status},
            field="run",
        )
    storage = run.model_file.storage
    try:
        with storage.open(run.model_file.name, "rb") as handle:
            blob = handle.read()
    except FileNotFoundError:
        raise ModelUnavailable(
            gettext("run: the model file of run #%(run_id)s (%(model_file)s) is missing from ARTIFACTS_ROOT; "
                    "restore it from a backup or train a new model") % {
                "run_id": run.pk,
                "model_file": run.model_file.name,
            },
            field="run",
        ) from None
    if run.model_sha256 and hashlib.sha256(blob).hexdigest() != run.model_sha256:
        raise ModelUnavailable(
            gettext("run: the model file of run #%(run_id)s does not match its recorded checksum; train a "
                    "new model") % {"run_id": run.pk},
            field="run",
        )
    return blob


def delete_model_file(name: str, *, unless_used_by_other_than: int | None = None) -> bool:
    """Remove a model file unless another run still points at it; True when deleted."""
    if not name:
        return False
    others = ModelRun.objects.filter(model_file=name)
    if unless_used_by_other_than is not None:
        others = others.exclude(pk=unless_used_by_other_than)
    if others.exists():
        return False
    storage = ModelRun._meta.get_field("model_file").storage
    try:
        storage.delete(name)
    except OSError as exc:  # a missing or locked file must not break deleting the run itself
        logger.warning("model file not deleted", extra={"file": name, "error": str(exc)})
        return False
    return True
