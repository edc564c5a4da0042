"""JSON errors for API clients: never an HTML page, never a bare 500 for bad input or a conflict."""

import logging
import re

from django.core.exceptions import DisallowedHost
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError

logger = logging.getLogger("salesforecast")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state of the resource.")
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy("The request is well-formed but cannot be processed.")
    default_code = "unprocessable"


_SQLITE_UNIQUE_RE = re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)")
_POSTGRES_KEY_RE = re.compile(r"Key \(([^)]+)\)=")


def unique_conflict_fields(exc: IntegrityError) -> list[str]:
    """The fields of the unique constraint an IntegrityError broke (SQLite and PostgreSQL texts), else []."""
    text = str(exc)
    columns: list[str] = []
    if match := _SQLITE_UNIQUE_RE.search(text):
        columns = [part.rsplit(".", 1)[-1] for part in match.group(1).split(", ")]
    elif "unique" in text.lower() and (match := _POSTGRES_KEY_RE.search(text)):
        columns = [part.strip().strip('"') for part in match.group(1).split(",")]
    # A foreign key column names its field without the _id suffix, as the API does.
    return [c[:-3] if c.endswith("_id") else c for c in columns if c]


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        # Every service refusal, mapped once: status, code, field and hint come from the error itself.
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, OverflowError | DataError) and not isinstance(exc, IntegrityError):
        # A number or text too large for its column (e.g. ?parent=99999999999999999999): the client's input.
        params = sorted(context["request"].query_params) if context.get("request") is not None else []
        logger.info("out-of-range input answered 400", extra={"error": str(exc).splitlines()[0][:200]})
        return Response(
            {"detail": gettext("A value in the request is out of range for its field (ids and counts are 64-bit "
                               "integers).")
                       + (" " + gettext("Query parameters sent: %(names)s.") % {"names": ", ".join(params)}
                          if params else "")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, IntegrityError):
        logger.warning("integrity error answered 409", extra={"error": str(exc).splitlines()[0][:200]})
        fields = unique_conflict_fields(exc)
        if fields:
            together = gettext(" and ").join(fields)
            message = gettext("Another row already has this %(fields)s; choose another value or edit that row.") % {
                "fields": together}
            return Response({"detail": message, **{name: [message] for name in fields}},
                            status=status.HTTP_409_CONFLICT)
        return Response(
            {"detail": gettext("The change conflicts with existing data (a unique or reference constraint).")},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or gettext("Not found."))
    return exception_handler(exc, context)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def json_400(request, exception=None):
    """A request Django refuses before any view (a Host header not in ALLOWED_HOSTS, a malformed one): JSON for the
    API as every other API error, and nothing of the request echoed back."""
    if _wants_json(request):
        if isinstance(exception, DisallowedHost):
            detail = gettext("Bad request: the Host header names a host this server does not answer for.")
        else:
            detail = gettext("Bad request.")
        return JsonResponse({"detail": detail}, status=400)
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def json_404(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": gettext("No endpoint at %(path)s.") % {"path": request.path}}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def json_500(request):
    if _wants_json(request):
        request_id = getattr(request, "request_id", "-")
        return JsonResponse(
            {"detail": gettext("Internal server error. It has been logged."), "request_id": request_id}, status=500
        )
    from django.views.defaults import server_error

    return server_error(request)
