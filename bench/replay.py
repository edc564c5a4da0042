"""Bench: replaying the order policy on history (planning.services.replay), run by hand.

    .venv/bin/python bench/replay.py                          # all three parts
    .venv/bin/python bench/replay.py --only scale --series 5000 --weeks 26
    .venv/bin/python bench/replay.py --only recruit           # reads ../shared/data (or SHARED_DATA) in place
    .venv/bin/python bench/replay.py --only demo              # the demo data set on a throw-away SQLite

1. **scale**: synthetic 5,000 location × product series (365 days of history before a 26-week window, Poisson
   demand with a weekly pattern and per-series levels, lead times 1–5 days, weekly review, packs), every
   contender (the policy at 0.80/0.90/0.95/0.98 on the model's and on a seasonal-naive forecast, min–max).
   Prints wall time per stage and peak RSS (aim: under 10 minutes and 4 GB on the 2-core machine), and, as a
   yardstick measured in the same run on the same data and threads, one nightly forecast (train + predict)
   of those series: the replay's cost in "nights".
2. **recruit**: the contenders on real restaurant data (../shared/data/recruit_restaurant_daily: visitors as
   demand). No stock was recorded there, so every rule starts at its own target level (the replay says so).
3. **demo**: the demo data set loaded straight into a temporary SQLite, replayed through the service
   (``run_replay``) as the command and the API do; its synced stock snapshot lies after the window, so here too
   the rules start at their target level.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from bench_setup import ROOT, drop_database, setup_django

LEVELS = (Decimal("0.80"), Decimal("0.90"), Decimal("0.95"), Decimal("0.98"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(series: int, history_days: int, window_days: int, seed: int = 3) -> tuple[pd.DataFrame, list]:
    """Long frame (location, product, date, y) with weekly seasonality, per-series level and some trends."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2025-01-06", periods=history_days + window_days, freq="D")
    weekly = np.array([0.8, 0.85, 0.9, 1.0, 1.2, 1.4, 0.85])[days.day_of_week]
    level = rng.gamma(2.0, 4.0, size=series)
    trend = 1 + rng.normal(0, 0.0006, size=series)[:, None] * np.arange(len(days))[None, :]
    y = rng.poisson(np.maximum(level[:, None] * weekly[None, :] * trend, 0.05)).astype(np.float32)
    locations = [str(1 + i // 50) for i in range(series)]
    products = [str(1 + i % 50) for i in range(series)]
    frame = pd.DataFrame({
        "location": np.repeat(locations, len(days)), "product": np.repeat(products, len(days)),
        "date": np.tile(days.to_numpy(), series), "y": y.reshape(-1),
    })
    return frame, list(zip(locations, products, strict=True))


def run_contenders(frame: pd.DataFrame, series: list, days: list[date], items: list, retrain_every: int,
                   label: str, values: np.ndarray) -> float:
    from planning.management.commands.replay_policy import format_table
    from planning.services.replay import simulate
    from planning.services.replay.forecasts import HistoryCut, baseline_source, model_source
    from planning.services.replay.runs import REPLAY_ENGINE, contenders_for

    cut = HistoryCut(frame, series, days)
    demand = frame[frame["date"] >= pd.Timestamp(days[0])].pivot_table(
        index=["location", "product"], columns="date", values="y", aggfunc="sum", observed=True)
    demand = demand.reindex(pd.MultiIndex.from_tuples(series, names=["location", "product"]))
    demand = demand.reindex(columns=pd.DatetimeIndex([pd.Timestamp(d) for d in days])).to_numpy(np.float64)
    trained: list[int] = []
    clock = {"model": 0.0, "baselines": 0.0}

    def timed(name, source):
        def call(origin, steps):
            t = time.perf_counter()
            try:
                return source(origin, steps)
            finally:
                clock["model" if name == "model" else "baselines"] += time.perf_counter() - t
        return call

    sources = {
        "model": timed("model", model_source(cut, retrain_every_days=retrain_every, overrides=REPLAY_ENGINE,
                                             on_train=trained.append)),
        "seasonal_naive": timed("sn", baseline_source(cut, "seasonal_naive")),
        "moving_average": timed("ma", baseline_source(cut, "moving_average")),
    }
    started = time.perf_counter()
    outcomes = simulate.replay(simulate.Window(days=days, demand=demand), items, contenders_for(LEVELS), sources)
    total = time.perf_counter() - started
    totals = [{"label": o.contender.label, **o.totals(values)} for o in outcomes]
    print(f"\n## {label}: {len(series)} series × {len(days)} days, weekly review, model re-trained "
          f"{len(trained)} times")
    print(format_table(totals))
    print(f"wall {total:.1f} s = model forecasts {clock['model']:.1f} s + baseline forecasts "
          f"{clock['baselines']:.1f} s + policy and simulation {total - clock['model'] - clock['baselines']:.1f} s; "
          f"peak RSS {peak_rss_mb():,.0f} MB")
    return total


def default_items(n: int, rng: np.random.Generator | None = None) -> list:
    from planning.services import policy
    from planning.services.replay.simulate import ItemTerms

    items = []
    for i in range(n):
        lead = int(rng.integers(1, 6)) if rng is not None else 2
        pack = Decimal(int(rng.choice([1, 1, 6, 12]))) if rng is not None else Decimal(1)
        items.append(ItemTerms(policy.PolicySettings(service_level=Decimal("0.95"), review_period_days=7,
                                                     lead_time_days=lead, pack_size=pack, moq=Decimal(0))))
        del i
    return items


def bench_scale(n: int, weeks: int) -> None:
    from forecasting import engine
    from planning.services.replay.runs import REPLAY_ENGINE

    window = weeks * 7
    frame, series = synthetic(n, 365, window)
    first = frame["date"].max() - pd.Timedelta(days=window - 1)
    days = [d.date() for d in pd.date_range(first, periods=window, freq="D")]
    rng = np.random.default_rng(1)
    items = default_items(n, rng)
    values = rng.uniform(1, 20, size=n)
    print(f"# scale: {n} series, {len(frame):,} rows; peak RSS after building the data {peak_rss_mb():,.0f} MB")
    # Yardstick: one nightly forecast of the same series (train on everything before the window + predict 9 days).
    history = frame[frame["date"] < pd.Timestamp(days[0])]
    t = time.perf_counter()
    model = engine.train(history, {"horizon": 9, "freq": "D", **REPLAY_ENGINE})
    engine.predict(model, history, horizon=9)
    night = time.perf_counter() - t
    replay_seconds = run_contenders(frame, series, days, items, 28, "synthetic", values)
    print(f"yardstick: one nightly forecast (train + predict) {night:.1f} s; the {weeks}-week replay of 9 contenders "
          f"= {replay_seconds / night:.1f} nights; aim < 600 s: {'met' if replay_seconds < 600 else 'MISSED'}; "
          f"aim < 4 GB: {'met' if peak_rss_mb() < 4096 else 'MISSED'}")


def bench_recruit(weeks: int) -> None:
    data = Path(os.environ.get("SHARED_DATA", ROOT.parent / "shared" / "data")) / "recruit_restaurant_daily"
    if not data.exists():
        print(f"recruit: {data} is absent; skipped")
        return
    raw = pd.read_csv(data / "visits.csv.gz", usecols=["store_id", "item_id", "date", "units"], parse_dates=["date"])
    frame = pd.DataFrame({"location": raw["store_id"].astype(str), "product": raw["item_id"].astype(str),
                          "date": raw["date"], "y": raw["units"].astype("float32")})
    window = weeks * 7
    last = frame["date"].max()
    days = [d.date() for d in pd.date_range(last - pd.Timedelta(days=window - 1), periods=window, freq="D")]
    in_window = frame[frame["date"] >= pd.Timestamp(days[0])]
    series = sorted(set(zip(in_window["location"], in_window["product"], strict=True)))
    print("\nrecruit: no stock history in the data: every rule starts at its own target level; closed days (no "
          "row) are no demand; default settings for every restaurant (review 7 days, lead time 2 days, no packs).")
    run_contenders(frame, series, days, default_items(len(series)), 28, "recruit_restaurant_daily",
                   np.ones(len(series)))


def bench_demo(weeks: int) -> None:
    setup_django("sqlite", name="sf_replay_bench", settings={"DEBUG": "true"})
    from demo.loader import load_demo
    from planning.management.commands.replay_policy import format_table
    from planning.services.replay.runs import run_replay, validate_request
    from sales.models import DailySale

    t = time.perf_counter()
    load_demo(size="default")
    last = DailySale.objects.order_by("-date").values_list("date", flat=True).first()
    print(f"\n## demo data set loaded in {time.perf_counter() - t:.0f} s; last sales day {last}")
    request = validate_request(date_from=last - timedelta(weeks=weeks) + timedelta(days=1), date_to=last,
                               service_levels=list(LEVELS), today=last + timedelta(days=1))
    t = time.perf_counter()
    run = run_replay(request)
    print(f"replay #{run.pk}: {run.series_count} series in {time.perf_counter() - t:.0f} s "
          f"(stages {run.seconds}); peak RSS {peak_rss_mb():,.0f} MB")
    print(format_table(run.contenders))
    for note in run.notes:
        print(f"note: {note}")
    drop_database("sqlite", "sf_replay_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["scale", "recruit", "demo"])
    parser.add_argument("--series", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=26)
    args = parser.parse_args()
    if args.only == "demo":
        bench_demo(args.weeks)
        return
    # scale and recruit need Django's settings, not its database (an empty one is set up for them)
    setup_django("sqlite", name="sf_replay_bench_plain", migrate="no", settings={"DEBUG": "true"})
    if args.only in (None, "scale"):
        bench_scale(args.series, args.weeks)
    if args.only in (None, "recruit"):
        bench_recruit(args.weeks)
    if args.only is None:  # its own process: Django is bound to one database per process
        subprocess.run([sys.executable, __file__, "--only", "demo", "--weeks", str(args.weeks)], check=True)


if __name__ == "__main__":
    main()
