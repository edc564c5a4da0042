"""Schema post-processing: every operation documents the error answers it can give.

The API answers 400 (invalid parameters or body, naming each field), 401, 403, 404 and, for writes, 409 and 422
from one exception handler (core/api/exceptions.py), but views documented only their success. Clients and
`--checks all` schema fuzzing then met "undocumented" statuses on every operation; this hook documents them once.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "ErrorAnswer"
ERROR_SCHEMA = {
    "description": "An error: `detail` says what is wrong; invalid input names each field or parameter with its "
                   "messages, e.g. `{\"date_from\": [\"Enter a valid date.\"]}`.",
    "anyOf": [
        {"type": "object", "properties": {"detail": {"type": "string"}}, "additionalProperties": True},
        {"type": "array", "items": {"type": "string"}},
    ],
}
COMMON = {
    "400": "Invalid parameters or body; the answer names each field and what is wrong.",
    "401": "Not authenticated.",
    "403": "Authenticated, but the role may not do this.",
    "404": "No such object (or a referenced one does not exist).",
}
WRITES = {
    "409": "Conflicts with the current state or with existing data (the answer names the field).",
    "422": "Well-formed but cannot be processed (the answer says why).",
}
METHODS = ("get", "post", "put", "patch", "delete")


def document_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: add the common error answers to operations that lack them."""
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            wanted = {**COMMON, **(WRITES if method != "get" else {})}
            for code, description in wanted.items():
                responses.setdefault(code, {"description": description,
                                            "content": {"application/json": {"schema": reference}}})
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    return result
