"""Features never read the target at or after their own period; step-wise equals batch."""

from __future__ import annotations

import numpy as np

from forecasting.engine import build_panel
from forecasting.engine.features import FeatureBuilder, FeatureSpec, SeriesState, default_spec
from forecasting.engine.lgbm import _category_codes

from .conftest import make_daily


def _builder(panel):
    cats = {c: sorted(panel.series[c].unique()) for c in ("location", "product", "category")}
    return FeatureBuilder(default_spec(panel.freq), panel, _category_codes(panel, cats), list(panel.drivers))


def test_features_at_t_ignore_y_at_and_after_t():
    history, _ = make_daily(days=420)  # long enough for the 364-day lag
    panel = build_panel(history)
    fb = _builder(panel)
    cols = np.arange(1, panel.T)
    base, base_scale = fb.build(SeriesState(panel.y, panel.T), cols)
    base = base.reshape(panel.n, len(cols), -1)
    rng = np.random.default_rng(1)
    for t in (30, 200, 400):
        y2 = panel.y.copy()
        y2[:, t:] = rng.uniform(0, 1000, size=y2[:, t:].shape)  # rewrite the "future" from t on
        pert, _ = fb.build(SeriesState(y2, panel.T), cols)
        pert = pert.reshape(panel.n, len(cols), -1)
        upto = t  # feature columns for periods 1..t (index t-1 is period t)
        np.testing.assert_array_equal(base[:, :upto], pert[:, :upto])
        assert not np.array_equal(base[:, upto + 1 :], pert[:, upto + 1 :])  # and it does matter later


def test_stepwise_state_equals_batch_bit_for_bit():
    history, _ = make_daily(days=120)
    panel = build_panel(history)
    fb = _builder(panel)
    L = 90
    batch_state = SeriesState(panel.y, panel.T)
    step_state = SeriesState(panel.y[:, :L], panel.T)
    for t in range(L, panel.T):
        Xs, ss = fb.build(step_state, np.array([t]))
        Xb, sb = fb.build(batch_state, np.array([t]))
        np.testing.assert_array_equal(Xs, Xb)
        np.testing.assert_array_equal(ss, sb)
        step_state.append(panel.y[:, t])
    np.testing.assert_array_equal(step_state.S, batch_state.S)


def test_mask_selects_rows_in_series_major_order():
    history, _ = make_daily(days=60)
    panel = build_panel(history)
    fb = _builder(panel)
    state = SeriesState(panel.y, panel.T)
    cols = np.arange(10, 20)
    full, _ = fb.build(state, cols)
    mask = np.zeros((panel.n, len(cols)), dtype=bool)
    mask[1, 3] = mask[4, 7] = True
    part, _ = fb.build(state, cols, mask)
    np.testing.assert_array_equal(part[0], full[1 * len(cols) + 3])
    np.testing.assert_array_equal(part[1], full[4 * len(cols) + 7])


def test_feature_names_cover_calendar_drivers_and_ids():
    history, _ = make_daily(days=30)
    names = _builder(build_panel(history)).names
    for n in ("lag_1", "lag_7", "mean_56", "smean_4", "day_of_week", "promo", "promo_next", "is_open_prev",
              "location_id", "product_id", "category_id"):
        assert n in names


def test_location_drivers_describe_the_other_series_on_the_shelf():
    history, _ = make_daily(n_locations=2, n_products=3, days=60)
    history["price"] = 2.0 + (history["product"] == "P1") * 1.0
    history.loc[(history["product"] == "P0") & (history["date"] >= "2023-02-20"), "price"] = 1.0  # a price cut
    panel = build_panel(history)
    fb = _builder(panel)
    assert "promo_location" in fb.names and "price_rel_location" in fb.names
    t = panel.T - 1
    X, _ = fb.build(SeriesState(panel.y, panel.T), np.array([t]))
    promo = panel.drivers["promo"][:, t]
    loc = panel.series["location"].to_numpy()
    share = X[:, fb.names.index("promo_location")]
    for i in range(panel.n):
        assert share[i] == np.float32(promo[loc == loc[i]].mean())
    rel = X[:, fb.names.index("price_rel_location")]
    p0 = np.flatnonzero(panel.series["product"].to_numpy() == "P0")
    others = np.flatnonzero(panel.series["product"].to_numpy() != "P0")
    assert (rel[p0] < 1).all() and (rel[others] > 1).all()  # the cut is deep against the shelf, the rest dearer


def test_location_drivers_only_where_a_location_has_several_series_and_not_in_old_models():
    history, _ = make_daily(n_locations=3, n_products=1, days=40)
    assert not any(n.endswith("_location") for n in _builder(build_panel(history)).names)
    history, _ = make_daily(n_locations=2, n_products=2, days=40)
    panel = build_panel(history)
    spec = default_spec(panel.freq).to_dict()
    old = FeatureSpec.from_dict({k: v for k, v in spec.items() if k != "location_drivers"})
    cats = {c: sorted(panel.series[c].unique()) for c in ("location", "product", "category")}
    names = FeatureBuilder(old, panel, _category_codes(panel, cats), list(panel.drivers)).names
    assert not any(n.endswith("_location") for n in names)  # a stored model keeps the features it was trained on
