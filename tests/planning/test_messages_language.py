"""A service's refusal reaches the API client in the request's language: the user's choice, else the browser's
Accept-Language, else English."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from planning.choices import TaskStatus
from tests.planning.test_production import TASKS_URL, kitchen, make_task  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _start_a_completed_task(kitchen, client, **headers):  # noqa: F811 - the fixture's value
    task = make_task(kitchen, status=TaskStatus.COMPLETED)
    response = client.post(f"{TASKS_URL}{task.pk}/start", format="json", **headers)
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "illegal_transition" and body["current_status"] == "completed"
    return body["detail"], task.pk


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (None, "Task {pk} is completed; it cannot become in_progress (allowed from: approved)."),
        ("ru", "Задание {pk} в статусе completed; оно не может стать in_progress (допустимо из: approved)."),
        ("kk", "{pk} тапсырмасы completed күйінде; ол in_progress бола алмайды (рұқсат етілген күйлер: approved)."),
        ("tr", "{pk} görevi completed durumunda; in_progress olamaz (izin verilen durumlar: approved)."),
    ],
)
def test_an_illegal_move_answers_409_in_the_browsers_language(kitchen, client_for, language, expected):  # noqa: F811
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    detail, pk = _start_a_completed_task(kitchen, client_for("planner"), **headers)
    assert detail == expected.format(pk=pk)


def test_the_refusal_of_a_lazy_hint_is_translated_too(client_for):
    from core.errors import DomainError
    from integrations.errors import ConfigurationError

    with translation.override("tr"):
        body = ConfigurationError("x").as_dict()
        assert body["hint"] == "Hesabı yönetim panelinde düzeltin (Entegrasyonlar → Hesaplar)."
        assert isinstance(DomainError("y").as_dict()["detail"], str)


def test_a_jwt_client_gets_the_language_the_user_chose(kitchen, make_user):  # noqa: F811
    from workbench.models import PlannerProfile

    user = make_user("ayse", role="planner")
    PlannerProfile.objects.create(user=user, language="tr")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    detail, pk = _start_a_completed_task(kitchen, client, HTTP_ACCEPT_LANGUAGE="ru")  # the choice beats the browser
    assert detail.startswith(f"{pk} görevi completed durumunda")
    profile = PlannerProfile.objects.get(user=user)  # as My preferences saves it (the API user is cached)
    profile.language = ""
    profile.save()
    detail, pk = _start_a_completed_task(kitchen, client, HTTP_ACCEPT_LANGUAGE="ru")
    assert detail.startswith(f"Задание {pk} в статусе completed")
