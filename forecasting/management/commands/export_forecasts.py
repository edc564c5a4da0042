"""Export a run's forecasts as CSV or XLSX: location code, product SKU, date, yhat, p10, p50, p90."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forecasting.management.progress import TqdmProgress, add_scope_arguments, scope_from_options
from forecasting.services import ForecastingError, export_forecasts
from forecasting.services.export import EXPORT_FORMATS
from forecasting.services.queries import resolve_run
from forecasting.services.records import record_forecasts


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"date {value!r} is not YYYY-MM-DD") from None


class _Stdout:
    """The command's stdout as a plain text stream (no extra line endings added)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


class Command(BaseCommand):
    help = "Write forecasts of a run (default: the latest) to a CSV or XLSX file, or CSV to stdout."

    def add_arguments(self, parser):
        parser.add_argument("--run", default="latest",
                            help="Run id, or 'latest' (each series' forecast of record: its scope's newest run).")
        parser.add_argument("--format", dest="fmt", default=None, choices=EXPORT_FORMATS,
                            help="csv or xlsx (default: from the --output suffix, else csv).")
        parser.add_argument("--output", default=None, help="File to write; CSV goes to stdout when omitted.")
        parser.add_argument("--from", dest="date_from", default=None, help="First date (YYYY-MM-DD).")
        parser.add_argument("--to", dest="date_to", default=None, help="Last date (YYYY-MM-DD).")
        add_scope_arguments(parser)

    def handle(self, *args, **options):
        output = options["output"]
        fmt = options["fmt"] or ("xlsx" if output and output.lower().endswith(".xlsx") else "csv")
        if fmt == "xlsx" and not output:
            raise CommandError("--output: an XLSX export needs a file name (e.g. --output forecasts.xlsx)")
        scope = scope_from_options(options)
        date_from = _date(options["date_from"]) if options["date_from"] else None
        date_to = _date(options["date_to"]) if options["date_to"] else None
        try:
            latest = str(options["run"]).lower() in ("latest", "record")
            run = None if latest else resolve_run(options["run"])
            if latest and not record_forecasts().exists():
                raise CommandError("run: there is no succeeded run with forecasts yet; run `manage.py train_forecast`")
            with TqdmProgress() as progress:
                if output:
                    path = Path(output)
                    with path.open("wb") as handle:
                        count = export_forecasts(run, handle, fmt=fmt, scope=scope, date_from=date_from,
                                                 date_to=date_to, progress=progress)
                else:
                    count = export_forecasts(run, _Stdout(self.stdout), fmt=fmt, scope=scope, date_from=date_from,
                                             date_to=date_to, progress=progress)
        except ForecastingError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"--output: cannot write {output!r}: {exc.strerror}") from None
        if output:
            source = f"run #{run.pk}" if run is not None else "the forecast of record"
            self.stderr.write(f"{count} forecast row(s) of {source} written to {output} ({fmt}).")
