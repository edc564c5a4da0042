"""How much better could any forecast of these held-out days be? Bounds for the accuracy aim of issue 12.

Run by hand (not part of the test suite), after ``bench/forecast.py``'s set-up::

    .venv/bin/python bench/forecast_bound.py [--only recruit]

For every data set it prints, next to the engine's ordinary forecast (the whole horizon from one origin)
and the anchors (mlforecast, AutoETS):

* the engine **re-forecast with the true values of the earlier days**: the same trained model asked every
  ``k`` periods for the next ``k`` (k = 7 and 1 on daily data, 4 and 1 on weekly), with the held-out actuals
  up to that day in its history. No forecast made at the origin can know those days, so this is what the
  model family gets with perfect knowledge of the recent past;
* the **best fixed blend** of the engine, mlforecast and AutoETS, weights chosen on the held-out points
  themselves (weights 0, 0.1 .. 1): an oracle, no real run could choose that well;
* the aim (0.95 x the better of mlforecast and AutoETS).

Where the aim lies below both, the gap is not in how the horizon is handled nor in how the contenders are
combined, but in what the data lets anyone know about a single day.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import forecast as B  # noqa: E402

from forecasting.engine import ForecastModel, build_panel, predict, train  # noqa: E402

KEYS = ["location", "product", "date"]


def reforecast(ds: B.DataSet, model: ForecastModel, every: int) -> pd.DataFrame:
    """Every ``every`` periods a new forecast by ``model`` with the held-out actuals so far as history."""
    dates = pd.DatetimeIndex(sorted(ds.future["date"].unique()))
    parts = []
    for j in range(0, len(dates), every):
        seen = ds.holdout[ds.holdout["date"] < dates[j]]
        history = pd.concat([ds.history, seen], ignore_index=True)
        block = dates[j : j + every]
        out = predict(model, history, ds.future[ds.future["date"] >= dates[j]], horizon=len(block))
        parts.append(out[out["date"].isin(block)])
    return pd.concat(parts, ignore_index=True)


def oracle_blend(ds: B.DataSet, panel, preds: dict[str, pd.DataFrame]) -> tuple[float, tuple[float, ...]]:
    """Lowest RMSSE of any fixed convex blend (step 0.1) of the given forecasts, judged on the held-out points."""
    names = list(preds)
    merged = None
    for name in names:
        f = preds[name][KEYS + ["yhat"]].rename(columns={"yhat": name})
        f["location"] = f["location"].astype(str)
        f["product"] = f["product"].astype(str)
        merged = f if merged is None else merged.merge(f, on=KEYS, how="outer")
    merged = merged.fillna(0.0)
    best = (np.inf, ())
    grid = [w / 10 for w in range(11)]
    for ws in itertools.product(grid, repeat=len(names) - 1):
        if sum(ws) > 1 + 1e-9:
            continue
        weights = (1 - sum(ws), *ws)
        blend = merged[KEYS].assign(yhat=sum(w * merged[n] for w, n in zip(weights, names, strict=True)))
        r = B.score(ds, blend, panel)["rmsse"]
        if r < best[0]:
            best = (r, weights)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("SHARED_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--only", default="rossmann,recruit,dominicks")
    args = ap.parse_args()
    root = Path(args.data)
    if not root.is_dir():
        sys.exit(f"data folder {root} not found (expected ../shared/data next to the repo)")
    print(f"accuracy bounds on {root} ({B.THREADS} threads)\n")
    for key in args.only.split(","):
        ds = B.LOADERS[key.strip()](root)
        full = pd.concat([ds.history, ds.holdout], ignore_index=True)
        panel = build_panel(full[["location", "product", "date", "y"]], freq=ds.freq, missing_policy="unknown")
        t0 = time.perf_counter()
        model = train(ds.history, B.engine_config(ds))  # one model for the run's forecast and the re-forecasts
        preds = {
            "ours": predict(model, ds.history, ds.future),
            "mlforecast": B.run_mlforecast(ds),
            "AutoETS": B.run_statsforecast(ds, "autoets"),
        }
        scores = {name: B.score(ds, p, panel)["rmsse"] for name, p in preds.items()}
        aim = 0.95 * min(scores["mlforecast"], scores["AutoETS"])
        steps = (7, 1) if ds.freq == "D" else (4, 1)
        again = {k: B.score(ds, reforecast(ds, model, k), panel)["rmsse"] for k in steps}
        blend, weights = oracle_blend(ds, panel, preds)
        unit = "days" if ds.freq == "D" else "weeks"
        print(f"## {ds.name}  (horizon {ds.horizon})")
        print(f"{'forecast':<62} {'RMSSE':>7}")
        print(f"{'ours, whole horizon from the origin (what a run does)':<62} {scores['ours']:>7.4f}")
        for k, r in again.items():
            label = f"ours re-forecast every {k} {unit} with the true earlier values"
            print(f"{label:<62} {r:>7.4f}")
        label = "oracle blend ours/mlforecast/AutoETS " + "/".join(f"{w:.1f}" for w in weights)
        print(f"{label:<62} {blend:>7.4f}")
        print(f"{'mlforecast / AutoETS':<62} {scores['mlforecast']:.4f} / {scores['AutoETS']:.4f}")
        print(f"{'aim: 0.95 x the better anchor':<62} {aim:>7.4f}")
        print(f"({time.perf_counter() - t0:.0f} s)\n", flush=True)


if __name__ == "__main__":
    main()
