#!/bin/sh
# web: migrate, register schedules, serve with gunicorn.  live: the ASGI app (HTTP + WebSockets ws/runs/,
# ws/kanban/) with uvicorn; route /ws/ of the proxy here.  worker: django-q2 workers + scheduler.
set -e
case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    python manage.py setup_schedules
    exec gunicorn salesforecast.wsgi:application --config docker/gunicorn.conf.py \
      --access-logfile - --error-logfile -
    ;;
  live)
    exec uvicorn salesforecast.asgi:application --host 0.0.0.0 --port "${LIVE_PORT:-8001}" \
      --proxy-headers --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
    ;;
  worker)
    exec python manage.py qcluster
    ;;
  *)
    exec python manage.py "$@"
    ;;
esac
