"""Workbench URLs, mounted under /admin/ before the admin site itself: the home screen replaces the bare index
(reverse('admin:index') lands on it), the table list stays at /admin/tables/. Every view goes through
admin_view: same login, same staff check, same CSRF and cache headers as the admin."""

from django.contrib import admin
from django.urls import path

from workbench.views import accounts, exports, home, kanban, preferences, product, queue, snapshot

app_name = "workbench"


def _v(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("", _v(home.home), name="home"),
    path("tables/", _v(home.tables), name="tables"),
    path("workbench/proposals/", _v(queue.review_queue), name="queue"),
    path("workbench/board/", _v(kanban.board), name="kanban"),
    path("workbench/accounts/", _v(accounts.accounts), name="accounts"),
    path("workbench/accounts/<int:account_id>/sync/", _v(accounts.sync_now), name="sync_now"),
    path("workbench/syncs/<int:run_id>/", _v(accounts.run_detail), name="sync_run"),
    path("workbench/products/<int:product_id>/", _v(product.product_page), name="product"),
    path("workbench/export/<slug:name>/", _v(exports.export_list), name="export"),
    path("workbench/preferences/", _v(preferences.preferences), name="preferences"),
    path("workbench/snapshots/<int:snapshot_id>/", _v(snapshot.snapshot_page), name="snapshot"),
]
