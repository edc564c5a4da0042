"""core.errors: one DomainError vocabulary, mapped to JSON once by the API's exception handler."""

import pytest
from rest_framework.test import APIRequestFactory

from core.api.exceptions import api_exception_handler
from core.errors import Conflict, DomainError, IllegalTransition, InvalidInput, NotFound, TooLarge, Unprocessable


def _answer(exc):
    request = APIRequestFactory().get("/api/v1/anything")
    return api_exception_handler(exc, {"request": request})


@pytest.mark.parametrize(("error", "status", "code"), [
    (DomainError("no"), 400, "invalid"),
    (InvalidInput("no"), 400, "invalid"),
    (NotFound("no"), 404, "not_found"),
    (Conflict("no"), 409, "conflict"),
    (Unprocessable("no"), 422, "unprocessable"),
    (TooLarge("no"), 413, "too_large"),
    (IllegalTransition("no", current="draft"), 409, "illegal_transition"),
])
def test_each_kind_of_refusal_answers_its_status_and_code(error, status, code):
    response = _answer(error)
    assert response.status_code == status
    assert response.data["code"] == code


def test_a_field_at_fault_answers_drf_s_field_shape_with_code_and_hint():
    error = InvalidInput("horizon: must be at most 365", field="horizon", hint="Choose a shorter horizon.")
    assert _answer(error).data == {"horizon": ["horizon: must be at most 365"], "code": "invalid",
                                   "hint": "Choose a shorter horizon."}


def test_no_field_answers_detail_and_extra_keys_never_overwrite_the_message():
    error = Conflict("run #3 is running", code="run_in_progress", extra={"run_id": 3, "detail": "ignored"})
    assert _answer(error).data == {"detail": "run #3 is running", "code": "run_in_progress", "run_id": 3}


def test_an_illegal_transition_names_the_current_state():
    error = IllegalTransition("Only a draft can be edited.", current="completed", field="status")
    body = _answer(error).data
    assert body == {"status": ["Only a draft can be edited."], "code": "illegal_transition",
                    "current_status": "completed"}
    assert error.current == "completed" and str(error) == "Only a draft can be edited."


def test_subclasses_set_their_defaults_and_a_raise_site_may_override_them():
    class AccountLocked(Conflict):
        code = "account_locked"
        hint = "Ask an administrator to unlock it."

    default = AccountLocked("locked")
    assert (default.status, default.code, default.hint) == (409, "account_locked", "Ask an administrator to unlock it.")
    custom = AccountLocked("locked", status=423, hint="Wait.")
    assert (custom.status, custom.hint) == (423, "Wait.")
    assert AccountLocked.hint == "Ask an administrator to unlock it."  # the class default is untouched
