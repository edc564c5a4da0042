"""Workbench URLs, mounted under /admin/ before the admin site itself: the home screen replaces the bare index
(reverse('admin:index') lands on it), the table list stays at /admin/tables/. Every view goes through
admin_view: same login, same staff check, same CSRF and cache headers as the admin."""

from django.contrib import admin
from django.urls import path

from workbench.views import home, kanban, preferences, queue, snapshot

app_name = "workbench"


def _v(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("", _v(home.home), name="home"),
    path("tables/", _v(home.tables), name="tables"),
    path("workbench/proposals/", _v(queue.review_queue), name="queue"),
    path("workbench/board/", _v(kanban.board), name="kanban"),
    path("workbench/preferences/", _v(preferences.preferences), name="preferences"),
    path("workbench/snapshots/<int:snapshot_id>/", _v(snapshot.snapshot_page), name="snapshot"),
]
