"""The old ERP's paths (no /v1, some without a trailing slash, as its clients call them)."""

from django.urls import path

from legacy import views

urlpatterns = [
    path("api/branches/", views.BranchListView.as_view(), name="legacy-branches"),
    path("api/branches/sync", views.BranchSyncView.as_view(), name="legacy-branches-sync"),
    path("api/sync/status", views.SyncStatusView.as_view(), name="legacy-sync-status"),
    path("api/sync/trigger/full", views.SyncTriggerFullView.as_view(), name="legacy-sync-trigger-full"),
    path("api/sync/trigger/live", views.SyncTriggerLiveView.as_view(), name="legacy-sync-trigger-live"),
    path("api/data/sync-products", views.SyncProductsView.as_view(), name="legacy-sync-products"),
    path("api/data/fetch-sales", views.FetchSalesView.as_view(), name="legacy-fetch-sales"),
    path("kanban/tasks", views.KanbanTasksView.as_view(), name="legacy-kanban-tasks"),
    path("import-export/templates", views.ImportTemplatesView.as_view(), name="legacy-import-templates"),
]
