"""Forecasting engine: one global LightGBM model over all location x product series (no Django inside).

Public API (all inputs/outputs are pandas DataFrames; errors are :class:`EngineError`):

* ``train(history, config=None, *, progress=None, trainer=None, **overrides) -> ForecastModel``
* ``predict(model, history, future=None, *, horizon=None, progress=None) -> DataFrame``
  with columns ``location, product, date, yhat, p10, p50, p90, method, reason``
* ``backtest(history, config=None, *, folds=3, models=DEFAULT_MODELS, progress=None, **overrides) -> dict``
* ``baseline_forecast(history, method, future=None, config=None, **overrides) -> DataFrame``
* ``ForecastModel.to_bytes()`` / ``ForecastModel.from_bytes(data)`` for storage in a BinaryField
* ``EngineConfig`` (JSON-able parameters), ``detect_frequency``, ``metrics``

History: ``location``, ``product`` (``ALL`` for store level), ``date``, ``y``, optional ``category`` and
numeric driver columns known in advance (``price``, ``promo``, ``is_open``, ``holiday``, any other).
The future frame has the same keys and drivers for the horizon, and may go on for the few periods after it
(``default_spec(freq).driver_lookahead``): the last days' features read the drivers of the days that follow
(``promo_next``, next week's promotions), so a forecast day does not depend on how far the run looks ahead.
Horizon periods it leaves out get defaults (open, no promotion, no holiday, last price); the periods after
the horizon that it leaves out stay unknown, as the days after the history are in training.

Design choices, and why:

* **Multi-horizon: recursive, and bounded by design.** One model predicts one period ahead; for each
  horizon step the features are recomputed from history plus the forecasts already made (running sums
  appended one column at a time, so the step features equal the batch features bit for bit). One model
  serves any horizon without retraining and every horizon day gets its own drivers. Recursion can feed
  an error back into the scale and every lag; unbounded, one spike over a tiny scale grew a restaurant
  to 805,000 visitors a day. So: (1) every value reported *and fed back* is clipped to the series'
  plausible band (``guards.py``: robust quantiles of its own non-zero history, never the maximum), so
  lags and scale stay inside the band and the recursion cannot diverge, whatever the trees learnt;
  (2) scaled training labels are capped (``label_cap``), so one outlier day is not learnt as the
  series' level; (3) the multi-step round choice sees the whole untruncated booster. Direct
  (horizon-specific) models were the alternative: 28 fits cost 28x the training time, against the
  "no slower than mlforecast" aim. Dormant series (no sale for ``dormant_weeks``) forecast 0; series
  with under ``cold_start_weeks`` of history get their own level shaped by a borrowed weekday profile
  and trend (the median four-week growth of the same product's, else category's, else location's
  mature series, bounded to x0.5..x2 over the horizon).
* **Per-series fallback, recorded.** On the calibration window a series falls back to its best
  baseline (seasonal mean, seasonal naive, moving average) only on a gross failure: the baseline's MSE
  under ``fallback_margin`` (0.1) x the model's *and* the model's RMSE over 2 x the series level; and
  to that baseline too when its raw forecast left the band on most horizon steps. One window is a
  noisy judge of one series: "the better of the two" made Recruit worse (RMSSE 0.664 -> 0.679) and
  milder margins cost Dominick's 0.289 -> 0.303 (baselines blind to promotions win quiet windows).
  A panel-wide blend with the seasonal mean is opt-in (``baseline_blend``: +0.5 % on Recruit, -8 %
  on Dominick's). Every output row carries ``method`` and ``reason`` (empty when the model was
  trusted; see ``guards.REASONS``).
* **Objective: Tweedie (power 1.2)** on a per-series scaled target (y divided by its trailing mean over
  28 days / 26 weeks / 6 months): non-negative, zero-inflated, right-skewed demand, every series weighted
  alike (as RMSSE does). Backtest evidence on the anchors (bench/README.md): Recruit RMSSE 0.660 Tweedie
  vs 0.664 L2; Dominick's Tweedie ahead of Poisson and L2. ``objective`` and ``blend`` (extra objectives
  averaged inside every recursive step) are configurable.
* **Boosting rounds are chosen by the multi-step error,** not by one-step early stopping alone: the model
  trained before the held-out last horizon forecasts it recursively at a few checkpoints (25, 50, 100,
  ... rounds) and the largest checkpoint within 5 % of the best mean per-series RMSSE wins. The score
  was MSE / level^2 before, and one restaurant that reopened after weeks shut (recent level near 0)
  outweighed the other 413 and made every candidate look alike. A one-step early-stopping guard
  (patience ``early_stopping_rounds``) only caps the training, and it may stop no sooner than
  ``min_rounds`` (200): its loss flattens long before the horizon's error does (Rossmann stopped at
  134 rounds: RMSSE 0.158; at 307: 0.149). The booster is kept whole, not cut at the one-step best.
  Known limit: with a short held-out window (8 weeks) the choice is noisy; Dominick's varies 0.275 to
  0.282 with the seed alone. Set ``num_rounds`` to fix the rounds.
* **Half the columns per tree** (``feature_fraction`` 0.5): the lags, windows and weekday means overlap,
  so a tree on half of them loses nothing measurable and costs a quarter less (bench/README.md).
* **Intervals: split conformal.** The same held-out forecast (after the fallbacks) gives normalised
  residuals; their 10/50/90 % quantiles per horizon bucket (two weeks for daily data, else steps 1,
  2-3, 4-7, ...), centred on the median, give p10/p90 around the forecast (see ``intervals.py`` for
  why); the model is then refitted on all history with the chosen rounds scaled up for the extra data.
  ``yhat`` is the mean forecast and p50 equals it (clipped at 0).
* **Drivers across the shelf.** Where a location holds several series, each numeric driver also gives
  the series' relative value (current / own trailing mean) over the location's mean relative value,
  and each binary driver the share of the location's series on it, for every period including the
  horizon. A promotion on the neighbouring product takes sales from this one, and a price cut counts by
  how deep it is against the others; on Dominick's orange juice (11 items per store) RMSSE went from
  0.297 to 0.279. Store-level panels (one series per location) do not get these columns.
* **Missing periods** (per location): ``zero`` (default; a missing period between a series' first row and
  the end of the history is a closed day with zero demand, ``is_open`` = 0 there) or ``unknown`` (NaN: not
  a training target, not scored, lags see a gap). Periods before a series' first row are unknown.
* **Stopped series:** no sale for ``dormant_weeks`` (default 8) -> exactly 0, flagged ``dormant``; any
  series with no row in the last ``stale_after`` periods (default 2 x horizon) likewise.
* **Closed periods** (``is_open`` = 0 in the drivers) are forecast as exactly 0 by every model and are
  not training targets.
* **Frequency** is detected from the dates (daily / weekly on any weekday / month start or end) or given;
  the horizon counts periods. Seasonal period 7 / 52 / 12.
* **Closed weekdays under ``unknown``:** a daily series without rows on the same weekday for 4 weeks gets
  its forecast reported but an unknown written back into the recursion, as in training.
* **Determinism and threads:** LightGBM ``deterministic=True``, row-wise histograms, fixed ``seed``;
  ``num_threads`` defaults to ``FORECAST_THREADS``, else every core. For a fixed thread count the
  serialised model (gzipped JSON, no pickle) is byte-identical for identical input; across thread
  counts results differ only by floating-point summation order.
* **Memory:** float32 arrays over (series x periods), features written straight into one float32 matrix,
  a block of periods at a time, keys factorised without making Python strings per row (see
  bench/forecast_memory.py).
* **Scale:** at most ``max_train_rows`` training cells (1.5 M): a boosting round costs time linear in
  rows, and a global model stops gaining from more rows of the same shapes well before 20,000 series x 2
  years (14.6 M cells). Above the cap the older cells are sampled uniformly with the run's seed (every
  series, weekday and season keeps its share); the last horizon is kept whole. 20,000 series x 730 days
  train and forecast in 149 s at 2.6 GB on one thread (bench/README.md).
* **Backends:** the boosters are trained at one point, a ``BoosterTrainer`` (``lgbm.LocalTrainer`` in this process
  by default; ``dask_backend.DaskTrainer`` over a Dask cluster for one model over more series than one machine
  trains comfortably). Features, round choice, fallbacks, intervals and the forecast do not depend on it.
"""

from __future__ import annotations

from . import metrics
from .api import baseline_forecast, predict, train
from .artifact import ForecastModel
from .backtest import DEFAULT_MODELS, backtest
from .config import EngineConfig, make_config
from .errors import EngineError
from .features import default_spec
from .lgbm import BoosterTrainer, LocalTrainer, Progress
from .panel import Frequency, build_panel, detect_frequency

__all__ = [
    "DEFAULT_MODELS",
    "BoosterTrainer",
    "EngineConfig",
    "EngineError",
    "ForecastModel",
    "Frequency",
    "LocalTrainer",
    "Progress",
    "backtest",
    "baseline_forecast",
    "build_panel",
    "default_spec",
    "detect_frequency",
    "make_config",
    "metrics",
    "predict",
    "train",
]
