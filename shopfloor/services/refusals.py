"""Planning's service refusals in the product's one error vocabulary (core.errors).

planning's services predate core.errors and raise their own exceptions; the shop floor calls them and must
answer with DomainErrors, so this one translation is used around every call into planning.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext

from core.errors import Conflict, IllegalTransition, InvalidInput
from planning.services import ledger, production, purchasing


@contextmanager
def planning_refusals() -> Iterator[None]:
    try:
        yield
    except (production.IllegalTransition, purchasing.IllegalOrderState) as exc:
        raise IllegalTransition(str(exc), current=exc.current) from exc
    except production.TaskConflict as exc:
        raise Conflict(str(exc)) from exc
    except ledger.InsufficientStock as exc:
        raise Conflict(
            str(exc),
            code="insufficient_stock",
            hint=gettext("Receive, move or count the stock first."),
            extra={"shortages": [
                {"location": s.location_id, "product": s.product_id, "on_hand": str(s.on_hand),
                 "required": str(s.required)}
                for s in exc.shortages
            ]},
        ) from exc
    except ledger.InvalidMovement as exc:
        raise InvalidInput(str(exc), field=exc.field) from exc
    except purchasing.PurchasingError as exc:
        raise InvalidInput(str(exc), field=exc.field) from exc
