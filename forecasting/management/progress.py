"""Command-line helpers shared by the forecasting commands: tqdm progress, scope and parameter options."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from forecasting.services.errors import ForecastingError
from forecasting.services.scope import ForecastScope, resolve_scope


class TqdmProgress:
    """A service progress callback ``(stage, done, total)`` drawn as one tqdm bar per stage on stderr.

    Bars are off when stderr is not a terminal (cron, CI, the worker) unless ``disable=False``.
    """

    def __init__(self, stream: TextIO | None = None, disable: bool | None = None):
        self.stream = stream or sys.stderr
        self.disable = disable
        self.stage = ""
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage or self.bar is None:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=f"{stage:<10}", file=self.stream, disable=self.disable, leave=False,
                            dynamic_ncols=True)
        if self.bar.total != total:
            self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> TqdmProgress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def add_scope_arguments(parser: CommandParser) -> None:
    parser.add_argument("--location", action="append", default=[], metavar="CODE|ID",
                        help="Location code or id; its whole subtree is included (repeatable).")
    parser.add_argument("--product", action="append", default=[], metavar="SKU|ID",
                        help="Product SKU or id (repeatable).")
    parser.add_argument("--category", action="append", default=[], metavar="CODE|ID",
                        help="Product category code or id, sub-categories included (repeatable).")


def scope_from_options(options: dict) -> ForecastScope:
    try:
        return resolve_scope(location=options["location"], product=options["product"], category=options["category"])
    except ForecastingError as exc:
        raise CommandError(str(exc)) from None


def add_parameter_argument(parser: CommandParser) -> None:
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="Engine parameter override, e.g. --param num_leaves=31 (value read as JSON).")


def parameters_from_options(options: dict) -> dict:
    params = {}
    for item in options["param"]:
        name, sep, raw = item.partition("=")
        if not sep or not name:
            raise CommandError(f"--param: expected NAME=VALUE, got {item!r}")
        try:
            params[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[name.strip()] = raw
    return params
