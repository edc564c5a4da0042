from django.urls import path

from workbench.consumers import KanbanConsumer, RunsConsumer

websocket_urlpatterns = [
    path("ws/runs/", RunsConsumer.as_asgi()),
    path("ws/kanban/", KanbanConsumer.as_asgi()),
]
