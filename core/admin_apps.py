"""The admin app with our site class as the default `admin.site` (kept apart from admin_site.py, which imports
models and so cannot load before the app registry)."""

from django.contrib.admin.apps import AdminConfig


class OTPAdminConfig(AdminConfig):
    default_site = "core.admin_site.OTPAdminSite"
