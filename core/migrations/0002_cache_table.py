"""Creates the database cache table(s) named in CACHES, so `migrate` alone readies a deployment.

Django's `createcachetable` does the work (idempotent; nothing to do when the cache is Redis or memory).
Reversing drops those tables.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, BaseDatabaseCache) and cache._table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(cache._table)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_roles")]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables)]
