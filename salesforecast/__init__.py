"""salesforecast: the Django project package (settings, URLs, WSGI/ASGI) and the main job."""
