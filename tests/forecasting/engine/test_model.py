"""Training and forecasting end to end with real LightGBM (tiny data, small trees)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.engine import EngineConfig, EngineError, ForecastModel, build_panel, predict, train
from forecasting.engine.config import make_config
from forecasting.engine.features import SeriesState
from forecasting.engine.lgbm import LightGBMForecaster, pick_rounds

from .conftest import fast_config, make_daily

COLUMNS = ["location", "product", "date", "yhat", "p10", "p50", "p90", "method", "reason"]


def test_forecast_shape_and_invariants(daily, trained):
    history, future = daily
    out = predict(trained, history, future)
    assert list(out.columns) == COLUMNS
    assert len(out) == 6 * 14
    assert out["date"].min() == history["date"].max() + pd.Timedelta(days=1)
    v = out[["yhat", "p10", "p50", "p90"]].to_numpy()
    assert np.isfinite(v).all() and (v >= 0).all()
    assert (out["p10"] <= out["p50"]).all() and (out["p50"] <= out["p90"]).all()
    closed = future.merge(out, on=["location", "product", "date"]).query("is_open == 0")
    assert len(closed) and (closed[["yhat", "p10", "p50", "p90"]] == 0).all().all()


def test_forecast_follows_weekday_and_promo(daily, trained):
    history, future = daily
    out = predict(trained, history, future).merge(future, on=["location", "product", "date"])
    out = out[out["location"] != "L0"]
    dow = out.groupby(pd.DatetimeIndex(out["date"]).day_of_week)["yhat"].mean()
    assert dow[5] > dow[6]  # Saturday busier than Sunday in the simulation
    ratio = out[out.promo == 1].yhat.mean() / out[out.promo == 0].yhat.mean()
    assert ratio > 1.2



def test_a_days_forecast_does_not_depend_on_how_far_the_run_looks(daily, trained):
    """The last days of a short horizon read the drivers of the days after it (tomorrow's closure, next week's
    promotions) from the future frame, as a longer run does: the same day gets the same forecast."""
    history, future = daily
    short = predict(trained, history, future, horizon=7)
    long = predict(trained, history, future, horizon=14)
    long = long[long["date"] <= short["date"].max()]
    cols = ["yhat", "p10", "p50", "p90"]
    np.testing.assert_allclose(short[cols].to_numpy(), long[cols].to_numpy(), rtol=1e-9)
    one = predict(trained, history, future, horizon=1)
    np.testing.assert_allclose(one["yhat"].to_numpy(), long[long["date"] == one["date"].max()]["yhat"].to_numpy())

def test_deterministic_bytes_and_forecasts(daily, trained):
    history, future = daily
    again = train(history, fast_config())
    assert again.to_bytes() == trained.to_bytes()
    a = predict(trained, history, future)
    b = predict(again, history, future)
    assert a.to_csv().encode() == b.to_csv().encode()


def test_serialisation_round_trip(daily, trained):
    history, future = daily
    data = trained.to_bytes()
    assert isinstance(data, bytes)
    restored = ForecastModel.from_bytes(data)
    pd.testing.assert_frame_equal(predict(restored, history, future), predict(trained, history, future))
    pd.testing.assert_frame_equal(predict(data, history, future), predict(trained, history, future))
    with pytest.raises(EngineError, match="model"):
        ForecastModel.from_bytes(b"not a model")


def test_recursive_equals_one_shot_given_its_own_forecasts(daily):
    """Each recursive step must equal a one-shot batch prediction on history + earlier forecasts."""
    history, future = daily
    cfg = make_config(fast_config())
    panel = build_panel(history, horizon=14, future=future, drivers=["promo", "is_open"])
    m = LightGBMForecaster(cfg).fit(panel, panel.T)
    rec = m.predict(panel, panel.T, 14)
    filled = np.concatenate([panel.y, rec.astype(np.float32)], axis=1)
    state = SeriesState(filled, filled.shape[1])
    cols = np.arange(panel.T, panel.T + 14)
    X, scale = m.builder.build(state, cols)
    raw = np.mean([b.predict(X, num_iteration=it) for b, it in m.members], axis=0)
    one_shot = np.maximum(raw * scale, 0).reshape(panel.n, 14)
    closed = panel.drivers["is_open"][:, panel.T :] == 0
    one_shot[closed] = 0
    np.testing.assert_allclose(rec, one_shot, rtol=1e-6)


def test_forecasts_never_read_actuals_after_the_origin(daily):
    history, _ = daily
    cfg = make_config(fast_config())
    panel = build_panel(history, drivers=["promo", "is_open"])
    origin = panel.T - 14
    base = LightGBMForecaster(cfg).fit(panel, origin).predict(panel, origin, 14)
    panel.y[:, origin:] = 1e4  # the "future" turns wild
    again = LightGBMForecaster(cfg).fit(panel, origin).predict(panel, origin, 14)
    np.testing.assert_array_equal(base, again)


def test_blend_of_objectives_trains_and_round_trips(daily):
    history, future = daily
    model = train(history, fast_config(blend=["regression"]))
    assert len(model.boosters) == 2 and len(model.iterations) == 2
    out = predict(ForecastModel.from_bytes(model.to_bytes()), history, future)
    pd.testing.assert_frame_equal(out, predict(model, history, future))
    with pytest.raises(EngineError, match="blend"):
        train(history, fast_config(blend=["mape"]))


def test_weekly_data_end_to_end():
    rng = np.random.default_rng(3)
    dates = pd.date_range("2020-01-02", periods=110, freq="W-THU")
    frames = [pd.DataFrame({"location": f"S{i}", "product": "OJ", "date": dates,
                            "y": rng.poisson(50 + 10 * i, len(dates)).astype(float),
                            "price": rng.choice([2.0, 2.5], len(dates))}) for i in range(4)]
    hist = pd.concat(frames).drop(index=[5, 17])  # a couple of missing weeks
    model = train(hist, fast_config(horizon=8, missing_policy="unknown"))
    assert model.freq == "W-THU"
    out = predict(model, hist)
    assert len(out) == 4 * 8
    assert (pd.DatetimeIndex(out["date"]).day_of_week == 3).all()
    assert out["date"].max() == dates[-1] + pd.Timedelta(weeks=8)


def test_single_series_and_store_level_product():
    hist, fut = make_daily(n_locations=1, n_products=1, days=70, horizon=7)
    hist["product"] = "ALL"
    fut["product"] = "ALL"
    model = train(hist, fast_config(horizon=7))
    out = predict(model, hist, fut)
    assert len(out) == 7 and set(out["product"]) == {"ALL"}


def test_stopped_series_is_forecast_as_zero():
    hist, _ = make_daily(n_locations=2, n_products=1, days=120)
    last = hist["date"].max()
    hist = hist[~((hist.location == "L1") & (hist.date > last - pd.Timedelta(days=60)))]
    model = train(hist, fast_config(missing_policy="unknown"))
    out = predict(model, hist)
    stopped = out[out.location == "L1"]
    assert (stopped[["yhat", "p90"]] == 0).all().all()
    assert out[out.location == "L0"]["yhat"].sum() > 0


def test_late_starting_series_is_forecast():
    hist, _ = make_daily(n_locations=2, n_products=1, days=120)
    first = hist["date"].min()
    hist = hist[~((hist.location == "L1") & (hist.date < first + pd.Timedelta(days=100)))]
    out = predict(train(hist, fast_config()), hist)
    assert out[out.location == "L1"]["yhat"].sum() > 0


def test_weekly_closing_day_is_forecast_but_not_fed_back():
    """A restaurant with no rows on Sundays ('unknown' policy): Sundays still get a forecast, but the
    recursion writes an unknown back for them, as training saw."""
    hist, _ = make_daily(n_locations=2, n_products=1, days=120)
    hist = hist[~((hist.location == "L1") & (pd.DatetimeIndex(hist.date).day_of_week == 6))]
    cfg = make_config(fast_config(missing_policy="unknown"))
    panel = build_panel(hist, horizon=14, missing_policy="unknown", drivers=["promo", "is_open"])
    m = LightGBMForecaster(cfg).fit(panel, panel.T)
    state = SeriesState(panel.y, panel.T + 14)
    sunday = int(np.flatnonzero(panel.future_dates.day_of_week == 6)[0])
    for _ in range(sunday):
        state.append(np.ones(panel.n))
    fed = m._feedback(state, panel.T + sunday, np.array([5.0, 5.0]))
    assert fed[0] == 5.0 and np.isnan(fed[1])
    out = predict(train(hist, cfg), hist)
    sundays = out[(out.location == "L1") & (pd.DatetimeIndex(out.date).day_of_week == 6)]
    assert len(sundays) == 2 and (sundays["yhat"] >= 0).all()


def test_unknown_store_at_forecast_time_still_gets_a_forecast(daily, trained):
    history, _ = daily
    extra = history[history.location == "L1"].assign(location="NEW")
    out = predict(trained, pd.concat([history, extra]))
    assert (out[out.location == "NEW"]["yhat"] > 0).any()


def test_progress_callback_reports_stages(daily):
    history, _ = daily
    seen = []
    model = train(history, fast_config(), progress=lambda stage, done, total: seen.append((stage, done, total)))
    predict(model, history, progress=lambda s, d, t: seen.append((s, d, t)))
    stages = {s for s, _, _ in seen}
    assert {"features", "train", "calibrate", "predict"} <= stages
    assert ("predict", 14, 14) in seen


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"horizon": 0}, "horizon"),
        ({"horizon": -3}, "horizon"),
        ({"horizon": 2.5}, "horizon"),
        ({"missing_policy": "interpolate"}, "missing_policy"),
        ({"objective": "mape"}, "objective"),
        ({"freq": "H"}, "freq"),
        ({"num_threads": 0}, "num_threads"),
        ({"tweedie_variance_power": 2.5}, "tweedie_variance_power"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"max_train_rows": 0}, "max_train_rows"),
    ],
)
def test_bad_parameters_raise_clear_errors(daily, kwargs, match):
    history, _ = daily
    with pytest.raises(EngineError, match=match):
        train(history, fast_config(**kwargs) if "horizon" not in kwargs else EngineConfig(**kwargs))


def test_not_enough_history_is_explained():
    hist, _ = make_daily(n_locations=1, n_products=1, days=20)
    with pytest.raises(EngineError, match="not enough history"):
        train(hist, fast_config(horizon=14))
    with pytest.raises(EngineError, match="unknown parameter"):
        train(hist, fast_config(), horizn=3)


def test_predict_errors(daily, trained):
    history, _ = daily
    with pytest.raises(EngineError, match="horizon"):
        predict(trained, history, horizon=0)
    with pytest.raises(EngineError, match="driver"):
        predict(trained, history.drop(columns=["promo"]))
    with pytest.raises(EngineError, match="model"):
        predict("model", history)
    with pytest.raises(EngineError, match="history"):
        predict(trained, [1, 2, 3])


def test_model_metadata_for_the_run_record(trained):
    assert trained.best_iteration > 0
    assert trained.trained_through
    assert abs(sum(trained.feature_importance.values()) - 1) < 1e-3
    assert EngineConfig.from_dict(trained.config).horizon == 14


def test_models_stored_before_per_series_choices_still_forecast(daily, trained):
    import gzip
    import json

    history, future = daily
    old = json.loads(gzip.decompress(trained.to_bytes()))
    old.pop("series_choice")
    old.pop("blend_weight")
    old["version"] = 2
    model = ForecastModel.from_bytes(gzip.compress(json.dumps(old).encode()))
    out = predict(model, history, future)
    assert set(out["method"]) <= {"lightgbm", "zero", "cold_start"} and (out["yhat"] >= 0).all()
    old["version"] = 1
    with pytest.raises(EngineError, match="format version 1"):
        ForecastModel.from_bytes(gzip.compress(json.dumps(old).encode()))


def test_large_panels_train_on_a_sample_of_cells_and_keep_the_last_horizon_whole(daily):
    """Above ``max_train_rows`` the older cells are sampled (same share for every series), the newest kept."""
    history, _ = daily
    panel = build_panel(history)
    m = LightGBMForecaster(fast_config(max_train_rows=400))
    mask = np.ones((panel.n, 150), dtype=bool)
    mask[0, :10] = False  # a late start stays out of the sample
    sampled = m._sample_cells(mask, keep_from=150 - 14)
    assert sampled[:, -14:].all()
    assert not sampled[0, :10].any()
    assert 400 * 0.8 < sampled.sum() < 400 * 1.2
    per_series = sampled[:, :136].sum(axis=1)
    assert per_series.min() > 0  # every series stays in the sample
    assert np.array_equal(sampled, m._sample_cells(mask, keep_from=150 - 14))  # the run's seed: reproducible
    assert LightGBMForecaster(fast_config())._sample_cells(mask, 136) is mask  # small panels untouched


def test_sampled_training_still_forecasts_every_series(daily):
    history, future = daily
    capped = train(history, fast_config(max_train_rows=300))
    out = predict(capped, history, future)
    assert out["yhat"].notna().all() and len(out) == 6 * 14


def test_training_matrix_built_in_blocks_equals_the_one_shot_build(daily):
    """The block-by-block training matrix holds exactly the rows of one build over every period."""
    history, _ = daily
    panel = build_panel(history)
    m = LightGBMForecaster(fast_config())
    m._prepare(panel)
    cols = np.arange(1, panel.T)
    state = SeriesState(panel.y, capacity=panel.T)
    target = panel.y[:, cols]
    mask = ~np.isnan(target)
    mask[1, ::3] = False
    X_all, scale = m.builder.build(state, cols, mask)
    t_all = np.broadcast_to(cols[None, :], mask.shape)[mask]
    m.design_block_cells = 5 * panel.n  # five periods a block
    X, label, tcol = m._design(state, cols, mask, target)
    order = np.lexsort((X[:, -3], tcol))  # by period, then location code
    ref = np.lexsort((X_all[:, -3], t_all))
    assert np.array_equal(tcol[order], t_all[ref])
    np.testing.assert_array_equal(X[order], X_all[ref])
    np.testing.assert_allclose(label[order], np.minimum(target[mask] / scale, 100.0)[ref].astype(np.float32))


def test_round_choice_leans_to_more_rounds_within_the_tolerance():
    cands = [25, 50, 100, 150, 200, 300]
    # a noisy window that likes 100 rounds best: 300 rounds are 4 % worse there, so they are kept
    assert pick_rounds(cands, [1.30, 1.10, 1.000, 1.02, 1.03, 1.04]) == 300
    # clearly worse past the best (overfitting): the best stays
    assert pick_rounds(cands, [1.30, 1.10, 1.000, 1.08, 1.12, 1.20]) == 100
    assert pick_rounds([600], [0.5]) == 600


def test_one_step_guard_waits_for_min_rounds_before_it_may_stop():
    """The guard judges only from ``guard_from`` on: on labels that are pure noise the one-step loss is
    best after a few rounds, and without the wait training stops there."""
    from forecasting.engine.config import lgb_params
    from forecasting.engine.lgbm import LocalTrainer

    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 5)).astype(np.float32)
    y = rng.gamma(2.0, 1.0, size=2000).astype(np.float32)
    params = lgb_params(make_config(learning_rate=0.3, num_leaves=15, min_data_in_leaf=5, num_threads=1))

    def trained(guard_from: int) -> int:
        trainer = LocalTrainer()
        trainer.prepare(X, y, [f"f{i}" for i in range(5)], [], params)
        booster = trainer.train(
            params, 200, rows=np.arange(1500), valid_rows=np.arange(1500, 2000), early_stopping=5,
            guard_from=guard_from,
        )
        trainer.release()
        return booster.current_iteration()

    early = trained(0)
    assert early < 60
    waited = trained(80)
    assert 85 <= waited < 200  # waited for round 80, then stopped within its patience of the best after it


def test_min_rounds_is_validated():
    with pytest.raises(EngineError, match="min_rounds"):
        make_config(min_rounds=0)
