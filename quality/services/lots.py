"""Decisions on a lot: release, block, unblock, scrap — recorded with who, when and why.

The lot's stock moves through planning.services.lots.set_lot_status (the ledger); this adds the rules quality
owns: an action only from the statuses it is meant for (409 naming the lot's status otherwise), a note for
every decision but a plain release, and no release while a lab test of the lot is still open.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from core.errors import Conflict, IllegalTransition, InvalidInput
from planning.models import StockLot
from planning.services.lots import set_lot_status
from quality.choices import LOT_ACTION_FROM, LOT_ACTION_TARGET, LabTestStatus, LotAction
from quality.models import LabTest, LotDecision


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def decide_lot(lot_id: int, action: str, *, note: str = "", user=None) -> LotDecision:
    """Apply one decision to a lot and record it, in one transaction."""
    if action not in LOT_ACTION_TARGET:
        raise InvalidInput(gettext("Unknown action %(action)r; use one of %(LOT_ACTION_TARGET)s.") % {
                               "action": action,
                               "LOT_ACTION_TARGET": ', '.join(LOT_ACTION_TARGET),
                           }, field="action")
    note = (note or "").strip()
    with transaction.atomic():
        # NO KEY: movements naming the lot (FK check = KEY SHARE) must not wait on this lock (see set_lot_status).
        lot = StockLot.objects.select_for_update(no_key=True, of=("self",)).select_related("product").get(pk=lot_id)
        if lot.status not in LOT_ACTION_FROM[action]:
            raise IllegalTransition(
                gettext("Lot %(number)s of %(sku)s is %(status)s; '%(action)s' applies to a lot that is "
                        "%(LOT_ACTION_FROM)s.") % {
                    "number": lot.number,
                    "sku": lot.product.sku,
                    "status": lot.status,
                    "action": action,
                    "LOT_ACTION_FROM": ' or '.join(LOT_ACTION_FROM[action]),
                }, current=lot.status)
        if action != LotAction.RELEASE and not note:
            raise InvalidInput(gettext("Lot %(number)s: a decision to %(action)s needs a note saying why.") % {
                                   "number": lot.number,
                                   "action": action,
                               }, field="note")
        if action == LotAction.RELEASE:
            open_test = LabTest.objects.filter(lot=lot, status=LabTestStatus.OPEN).first()
            if open_test is not None:
                raise Conflict(gettext("Lot %(number)s: lab test %(open_test_id)s is still open; record its "
                                       "verdict before releasing the lot.") % {
                                   "number": lot.number,
                                   "open_test_id": open_test.pk,
                               }, field="action", code="lab_test_open")
        before = lot.status
        set_lot_status(lot.pk, LOT_ACTION_TARGET[action], note=note, user=user)
        return LotDecision.objects.create(lot=lot, action=action, from_status=before,
                                          to_status=LOT_ACTION_TARGET[action], note=note[:500],
                                          decided_by=_user(user))
