import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesforecast.settings")
application = get_wsgi_application()

# Import the URL configuration (every view, serializer and filter set) and build its reverse index now, at start-up:
# otherwise the first request of every process pays for it (about a second of CPU), and under gunicorn's preload
# (docker/gunicorn.conf.py) the master does it once for all workers.
from django.urls import get_resolver  # noqa: E402

get_resolver().reverse_dict  # noqa: B018
