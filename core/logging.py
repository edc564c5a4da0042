"""Structured log lines carrying the request id of the request (or job) that produced them."""

import contextvars
import json
import logging
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_STANDARD_ATTRS = _RESERVED | {"request_id"}


class SafeExtraLogger(logging.Logger):
    """A Logger whose `extra` keys may be any names: ones that clash with LogRecord attributes
    (created, name, msg, …) get an `x_` prefix instead of raising KeyError in the middle of a sync."""

    def makeRecord(self, name, level, fn, lno, msg, args, exc_info, func=None, extra=None, sinfo=None):  # noqa: N802
        if extra:
            extra = {(f"x_{k}" if k in _RESERVED else k): v for k, v in extra.items()}
        return super().makeRecord(name, level, fn, lno, msg, args, exc_info, func, extra, sinfo)


def install_safe_logger_class() -> None:
    """Must run before app modules create their loggers (settings.py calls it)."""
    logging.setLoggerClass(SafeExtraLogger)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def _extras(record: logging.LogRecord) -> dict:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS}


class KeyValueFormatter(logging.Formatter):
    """`ts level logger request_id=… msg key=value…`: greppable and readable at once."""

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        parts = [ts, record.levelname, record.name, f"request_id={getattr(record, 'request_id', '-')}",
                 record.getMessage()]
        parts += [f"{k}={v!r}" if isinstance(v, str) and " " in v else f"{k}={v}" for k, v in _extras(record).items()]
        line = " ".join(str(p) for p in parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
            **{k: v if isinstance(v, int | float | bool | None) else str(v) for k, v in _extras(record).items()},
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
