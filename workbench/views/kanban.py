"""The production board: tasks in columns by status, moved by buttons (no JavaScript needed) or by drag and drop.

Both paths post to this view, which calls planning.services.production.move_on_board — the same service as the
API's kanban move — so an illegal move is refused with the service's message. A drag and drop asks for JSON
(`Accept: application/json`) and gets {"ok", "message", "task"}; a form post gets a redirect and a message.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from branches.models import Location
from planning.choices import BOARD_COLUMNS, TASK_TRANSITIONS, TaskStatus
from planning.models import ProductionTask
from planning.services import production
from workbench.views.common import REFUSALS, admin_context


def _int(value: str | None) -> int | None:
    return int(value) if value and str(value).lstrip("-").isdigit() else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def task_json(task: ProductionTask) -> dict:
    return {"id": task.pk, "status": task.status, "status_label": task.get_status_display(),
            "board_position": task.board_position}


def _move(request: HttpRequest) -> HttpResponse:
    task_id = _int(request.POST.get("task"))
    target = request.POST.get("status") or None
    position = _int(request.POST.get("position"))
    try:
        task = production.move_on_board(task_id, status=target, position=position, user=request.user,
                                        reason=request.POST.get("reason", ""))
    except ProductionTask.DoesNotExist:
        message, ok, task = _("Task %(id)s no longer exists.") % {"id": task_id}, False, None
    except REFUSALS as exc:
        message, ok, task = str(exc), False, None
    else:
        message, ok = _("Task %(id)s is now %(status)s.") % {"id": task.pk, "status": task.get_status_display()}, True
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message, "task": task_json(task) if task else None},
                            status=200 if ok else 409)
    (messages.success if ok else messages.error)(request, message)
    return HttpResponseRedirect(request.get_full_path())


def board(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("planning.view_productiontask"):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm("planning.change_productiontask"):
            raise PermissionDenied
        return _move(request)

    location_id = _int(request.GET.get("location"))
    due_from, due_to = _date(request.GET.get("due_from")), _date(request.GET.get("due_to"))
    qs = ProductionTask.objects.all()
    if location_id:
        qs = qs.filter(location_id=location_id)
    if due_from:
        qs = qs.filter(due_date__gte=due_from)
    if due_to:
        qs = qs.filter(due_date__lte=due_to)
    columns = production.kanban_board(qs)
    for column in columns:
        for task in column.tasks:
            task.targets = [(s, TaskStatus(s).label) for s in TASK_TRANSITIONS.get(task.status, ())]
    work_centres = Location.objects.filter(
        pk__in=ProductionTask.objects.values("location_id")
    ).order_by("name").only("pk", "name")
    context = admin_context(
        request, _("Production board"), columns=columns, work_centres=work_centres, location_id=location_id,
        due_from=due_from, due_to=due_to, all_columns=[(s, TaskStatus(s).label) for s in BOARD_COLUMNS],
        can_move=request.user.has_perm("planning.change_productiontask"),
    )
    return TemplateResponse(request, "workbench/kanban.html", context)
