#!/bin/sh
# web: migrate, register schedules, serve with gunicorn.  worker: django-q2 workers + scheduler.
set -e
case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    python manage.py setup_schedules
    exec gunicorn salesforecast.wsgi:application --config docker/gunicorn.conf.py \
      --access-logfile - --error-logfile -
    ;;
  worker)
    exec python manage.py qcluster
    ;;
  *)
    exec python manage.py "$@"
    ;;
esac
