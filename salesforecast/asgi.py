"""ASGI entry point: HTTP through Django, WebSockets (ws/runs/, ws/kanban/) through Channels.

Serve with an ASGI server, e.g. ``uvicorn salesforecast.asgi:application`` (bin/demo and the docker image do).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesforecast.settings")
django_asgi_app = get_asgi_application()  # sets up Django before the consumers import models

from django.conf import settings  # noqa: E402

if settings.DEBUG:
    # As runserver does: static files from the apps in development (a deployment serves collected files).
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    django_asgi_app = ASGIStaticFilesHandler(django_asgi_app)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from workbench.routing import websocket_urlpatterns  # noqa: E402
from workbench.ws_auth import JwtAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_asgi_app,
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(JwtAuthMiddleware(URLRouter(websocket_urlpatterns)))),
})
