"""What every planning API view module shares: per-action permissions and the 409 with typed data."""


from decimal import Decimal

from core.api.exceptions import Conflict
from core.api.permissions import ActionPermissionMixin  # noqa: F401  (re-exported for the view modules)


class ConflictWithData(Conflict):
    """A 409 whose body keeps its types (ids stay numbers), unlike APIException's stringified detail."""

    def __init__(self, data: dict) -> None:
        super().__init__()
        self.detail = data


MAX_EXPLODE_QUANTITY = Decimal("1000000000")


def _change(model: str) -> dict[str, list[str]]:
    return {"POST": [f"planning.change_{model}"], "PUT": [f"planning.change_{model}"]}


def _view(model: str) -> dict[str, list[str]]:
    return {"GET": [f"planning.view_{model}"], "POST": [f"planning.view_{model}"]}
