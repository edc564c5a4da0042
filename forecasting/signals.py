"""Keep the artefact store tidy: deleting a run removes its model file once no other run uses it."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from forecasting.models import ModelRun


@receiver(post_delete, sender=ModelRun, dispatch_uid="forecasting.delete_model_file")
def delete_unused_model_file(sender, instance: ModelRun, **kwargs) -> None:
    name = instance.model_file.name if instance.model_file else ""
    if name:
        from forecasting.services.artifacts import delete_model_file

        # After commit: a rolled-back delete must not lose the file.
        transaction.on_commit(lambda: delete_model_file(name))
