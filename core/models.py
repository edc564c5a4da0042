"""The core app has no tables of its own; this module exists so Django sends it post_migrate
(roles and schedules are synced then, after every other app's permissions exist)."""
