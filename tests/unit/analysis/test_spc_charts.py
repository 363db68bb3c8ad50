"""Centre lines and limits of every chart, worked by hand from SPC_RULES.md §3 and §7."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from qidesk.analysis import spc

nan = math.nan


def amr(values, screen=True):
    mr = [abs(b - a) for a, b in zip(values, values[1:]) if not (math.isnan(a) or math.isnan(b))]
    mean = sum(mr) / len(mr)
    if screen:
        kept = [r for r in mr if r < 3.267 * mean]
        mean = sum(kept) / len(kept) if kept else nan
    return mean


def test_run_chart_centre_is_the_baseline_median_and_it_has_no_limits():
    r = spc([3, 1, 4, 1, 5, 9, 2, 6], chart="run", freeze=4)
    assert r.cl.tolist() == [2.0] * 8
    assert np.isnan(r.ucl).all() and np.isnan(r.lcl_95).all()
    assert not r.sigma_signal.any()
    assert r.baseline.tolist() == [True] * 4 + [False] * 4
    # runs are tested on all points against the frozen centre line; the 2 sits on it
    assert r.runs[0].n_obs == 8 and r.runs[0].n_useful == 7


def test_i_chart_with_and_without_screening():
    y = [10, 11, 9, 10, 30, 10, 11, 9, 10, 12]
    mean = sum(y) / len(y)
    for screen in (True, False):
        r = spc(y, chart="i", screen_mr=screen)
        sd = amr(y, screen) / 1.128
        assert r.cl[0] == pytest.approx(mean)
        assert r.ucl[0] == pytest.approx(mean + 3 * sd)
        assert r.lcl_95[0] == pytest.approx(mean - 2 * sd)
    assert spc(y, chart="i").sigma_signal.tolist() == [False] * 4 + [True] + [False] * 5


def test_i_chart_bridges_excluded_points_but_not_missing_ones():
    y = [1.0, 2.0, 50.0, 4.0, nan, 8.0, 9.0]
    r = spc(y, chart="i", exclude=[2], screen_mr=False)
    base = [1.0, 2.0, 4.0, nan, 8.0, 9.0]  # excluded 50 bridged: MR 2 -> 4
    want = statistics.mean([1, 2, 4, 8, 9]) + 3 * amr(base, False) / 1.128
    assert r.ucl[0] == pytest.approx(want)
    assert r.include.tolist() == [True, True, False, True, True, True, True]
    assert r.runs[0].n_obs == 6


def test_excluded_points_still_get_lines_and_signals():
    y = [5.0, 5.5, 4.5, 5.0, 100.0, 5.2, 4.8]
    r = spc(y, chart="i", exclude=[4])
    assert r.sigma_signal[4] and np.isfinite(r.ucl[4])
    assert r.cl[0] == pytest.approx(statistics.mean([5.0, 5.5, 4.5, 5.0, 5.2, 4.8]))


def test_constant_series_screens_every_range_out():
    # AMR = 0 leaves no MR < 3.267·0, so qicharts2's limits are NA with screening
    assert np.isnan(spc([4, 4, 4, 4], chart="i").ucl).all()
    assert spc([4, 4, 4, 4], chart="i", screen_mr=False).ucl.tolist() == [4.0] * 4


def test_mr_chart():
    y = [1.0, 3.0, 2.0, 6.0, 5.0]
    r = spc(y, chart="mr")
    mr = [2.0, 1.0, 4.0, 1.0]
    assert np.isnan(r.y[0]) and r.y[1:].tolist() == mr
    assert r.cl[0] == pytest.approx(2.0)
    assert r.ucl[0] == pytest.approx(3.267 * 2.0)
    assert r.ucl_95[0] == pytest.approx(3.267 / 3 * 2 * 2.0)
    assert r.lcl.tolist() == [0.0] * 5 and r.lcl_95.tolist() == [0.0] * 5
    assert not r.runs_signal.any() and r.runs[0].signal is False


def test_mr_chart_restarts_in_each_part():
    r = spc([1.0, 2.0, 4.0, 10.0, 13.0], chart="mr", parts=[3])
    assert np.isnan(r.y[[0, 3]]).all() and r.y[4] == 3.0
    assert r.part.tolist() == [0, 0, 0, 1, 1]


def test_p_chart_limits_are_per_point_and_clamped():
    y, n = [1, 2, 0, 5], [10, 20, 5, 10]
    r = spc(y, n, chart="p")
    p = 8 / 45
    for i, ni in enumerate(n):
        sd = math.sqrt(p * (1 - p) / ni)
        assert r.ucl[i] == pytest.approx(min(1.0, p + 3 * sd))
        assert r.lcl[i] == pytest.approx(max(0.0, p - 3 * sd))
    assert r.y.tolist() == pytest.approx([0.1, 0.1, 0.0, 0.5])
    assert (r.lcl >= 0).all() and (r.ucl <= 1).all()


def test_zero_denominator_gives_missing_limits():
    for chart in ("p", "u", "pp", "up"):
        r = spc([1, 0, 2, 3, 1], [10, 0, 12, 11, 9], chart=chart)
        assert np.isnan(r.y[1]) and np.isnan(r.ucl[1]) and np.isnan(r.lcl[1]), chart
        assert np.isfinite(r.ucl[0]), chart


def test_missing_numerator_or_denominator_removes_both():
    r = spc([1, None, 3, 2], [10, 10, None, 10], chart="p")
    assert np.isnan(r.y[1:3]).all() and np.isnan(r.n[1:3]).all()
    assert r.cl[0] == pytest.approx(3 / 20)


def test_u_and_c_charts():
    y, n = [3, 5, 2, 8], [100, 120, 80, 150]
    r = spc(y, n, chart="u", multiply=1000)
    u = 18 / 450
    assert r.cl[0] == pytest.approx(u * 1000)
    assert r.ucl[2] == pytest.approx((u + 3 * math.sqrt(u / 80)) * 1000)
    assert r.lcl[2] == 0.0
    c = spc([3, 5, 2, 8], chart="c")
    assert c.cl[0] == 4.5 and c.ucl[0] == pytest.approx(4.5 + 3 * math.sqrt(4.5)) and c.lcl[0] == 0


def test_laney_p_prime_uses_moving_ranges_of_z():
    y, n = [30, 45, 38, 52, 41, 36], [300, 410, 390, 420, 380, 350]
    p = sum(y) / sum(n)
    sd = [math.sqrt(p * (1 - p) / k) for k in n]
    z = [(a / b - p) / s for a, b, s in zip(y, n, sd)]
    sigma_z = amr(z) / 1.128
    r = spc(y, n, chart="pp")
    assert r.ucl == pytest.approx([p + 3 * s * sigma_z for s in sd])
    cat = spc(y, n, chart="pp", categorical=True)  # funnel plots: sd(z)
    assert cat.ucl == pytest.approx([p + 3 * s * statistics.stdev(z) for s in sd])
    assert not cat.runs_signal.any()
    gap = spc([30, None, 38, 52], [300, 410, 390, 420], chart="pp", categorical=True)
    assert np.isnan(gap.ucl).all()  # R's sd(z) without na.rm is NA


def test_g_chart_limits_from_mean_centre_from_median():
    y = [0.0, 5.0, 12.0, 3.0, 30.0, 8.0]
    m = statistics.mean(y)
    r = spc(y, chart="g")
    assert r.cl[0] == statistics.median(y)
    assert r.ucl[0] == pytest.approx(m + 3 * math.sqrt(m * (m + 1)))
    assert r.lcl[0] == 0.0
    user = spc(y, chart="g", cl=10.0)
    assert user.cl[0] == pytest.approx(6.93)
    assert user.ucl[0] == pytest.approx(10 + 3 * math.sqrt(110))


def test_t_chart_transforms_and_floors_only_the_lcl():
    y = [12.0, 30.0, 5.0, 44.0, 20.0, 8.0, 60.0]
    yt = [v ** (1 / 3.6) for v in y]
    mean, sd = statistics.mean(yt), amr(yt) / 1.128
    r = spc(y, chart="t")
    assert r.cl[0] == pytest.approx(mean**3.6)
    assert r.ucl[0] == pytest.approx((mean + 3 * sd) ** 3.6)
    low = mean - 3 * sd
    assert r.lcl[0] == pytest.approx(low**3.6 if low > 0 else 0.0)
    assert r.y == pytest.approx(y)
    low95 = mean - 2 * sd
    assert (np.isnan(r.lcl_95[0]) if low95 < 0 else r.lcl_95[0] == pytest.approx(low95**3.6))


def test_t_chart_negative_transformed_lcl_95_is_missing():
    r = spc([1.0, 100.0, 2.0, 80.0, 1.5], chart="t", screen_mr=False)
    assert r.lcl[0] == 0.0 and np.isnan(r.lcl_95).all()


def test_xbar_and_s_constant_subgroup_sizes():
    groups = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 1.0, 4.0]]
    means = [statistics.mean(g) for g in groups]
    sds = [statistics.stdev(g) for g in groups]
    c4 = math.sqrt(2 / 2) * math.exp(math.lgamma(1.5) - math.lgamma(1.0))
    a3 = 3 / (c4 * math.sqrt(3))
    r = spc(groups, chart="xbar")
    assert r.cl[0] == pytest.approx(statistics.mean(means))
    assert r.ucl[0] == pytest.approx(statistics.mean(means) + a3 * statistics.mean(sds))
    assert r.n.tolist() == [3, 3, 3]
    s = spc(groups, chart="s")
    c5 = math.sqrt(1 - c4**2)
    assert s.y == pytest.approx(sds)
    assert s.ucl[0] == pytest.approx((1 + 3 * c5 / c4) * statistics.mean(sds))
    assert s.lcl[0] == max(0.0, 1 - 3 * c5 / c4) * statistics.mean(sds)


def test_xbar_pooled_sd_counts_empty_and_single_subgroups_in_the_denominator():
    groups = [[1.0, 3.0], [2.0, 2.0, 5.0], [7.0], None, [None, 4.0, 6.0]]
    r = spc(groups, chart="xbar")
    sizes = [2, 3, 1, 0, 2]
    sd = statistics.stdev
    sds = [sd([1, 3]), sd([2, 2, 5]), nan, nan, sd([4, 6])]
    num = sum((k - 1) * s**2 for k, s in zip(sizes, sds) if not math.isnan(s))
    pooled = math.sqrt(num / sum(k - 1 for k in sizes))
    assert r.n.tolist() == sizes
    assert r.cl[0] == pytest.approx(sum(v for g in groups if g for v in g if v is not None) / 8)
    c4 = math.sqrt(2 / 1) * math.exp(math.lgamma(1.0) - math.lgamma(0.5))  # n = 2
    assert r.ucl[4] == pytest.approx(r.cl[0] + 3 / (c4 * math.sqrt(2)) * pooled)
    # subgroups of size 0 and 1 have no limits; the empty one has no value either
    assert np.isnan(r.ucl[[2, 3]]).all() and np.isnan(r.y[3]) and r.y[2] == 7.0


def test_ip_chart_with_and_without_denominators():
    y, n = [5.0, 7.0, 6.0, 8.0], [10.0, 20.0, 15.0, 25.0]
    r = spc(y, n, chart="ip", screen_mr=False)
    rates = [a / b for a, b in zip(y, n)]
    cl = sum(v * k for v, k in zip(rates, n)) / sum(n)
    s = [math.sqrt(math.pi / 2) * abs(b - a) / math.sqrt(1 / m + 1 / k)
         for a, b, m, k in zip(rates, rates[1:], n, n[1:])]
    sd0 = statistics.mean(s) * math.sqrt(1 / n[0])
    assert r.cl[0] == pytest.approx(cl) and r.ucl[0] == pytest.approx(cl + 3 * sd0)
    groups = [[1.0, 2.0], [3.0], [2.0, 2.0, 5.0]]
    g = spc(groups, chart="ip")
    assert g.n.tolist() == [2, 1, 3] and g.y == pytest.approx([1.5, 3.0, 3.0])
    with_n = spc(groups, [4.0, 2.0, 6.0], chart="ip")
    assert with_n.y == pytest.approx([0.75, 1.5, 1.5]) and with_n.n.tolist() == [4, 2, 6]
    gap = spc([[1.0], [], [2.0]], [4.0, 2.0, 6.0], chart="ip")
    assert np.isnan(gap.y[1]) and np.isnan(gap.n[1])
    flat = spc([1.0, None, 3.0], chart="ip")
    assert flat.n.tolist() == [1, 0, 1]


def test_freeze_and_parts():
    y = [5, 6, 5, 7, 6, 20, 21, 22, 20, 21]
    frozen = spc(y, chart="i", freeze=5)
    assert frozen.cl[0] == pytest.approx(5.8) and frozen.cl[9] == pytest.approx(5.8)
    assert frozen.runs[0].n_obs == 10
    split = spc(y, chart="i", parts=[5])
    assert split.cl[0] == pytest.approx(5.8) and split.cl[9] == pytest.approx(20.8)
    assert [(p.start, p.stop) for p in split.runs] == [(0, 5), (5, 10)]
    ignored = spc(y, chart="i", parts=[5], freeze=3)  # freeze is ignored with parts
    assert ignored.baseline.all() and ignored.cl[0] == pytest.approx(5.8)
    assert spc(y, chart="i", parts=[0]).cl[0] == pytest.approx(statistics.mean(y))


def test_user_centre_line():
    y = [4.0, 6.0, 5.0, 7.0]
    r = spc(y, chart="i", cl=5.0, screen_mr=False)
    assert r.cl.tolist() == [5.0] * 4
    assert r.ucl[0] == pytest.approx(5 + 3 * (5 / 3) / 1.128)  # MRs of y - cl: 2, 1, 2
    varying = spc(y, chart="run", cl=[4.0, 4.0, 6.0, 6.0])
    assert varying.cl.tolist() == [4.0, 4.0, 6.0, 6.0]
    partial = spc(y, chart="run", cl=[4.0, None, 6.0, 6.0])  # any NA: computed (anyNA(x$cl))
    assert partial.cl.tolist() == [5.5] * 4


def test_y_neg_false_floors_negative_lower_limits():
    y = [1.0, 9.0, 2.0, 8.0, 1.0, 9.0]
    assert spc(y, chart="i", screen_mr=False).lcl[0] < 0
    r = spc(y, chart="i", screen_mr=False, y_neg=False)
    assert r.lcl[0] == 0.0 and r.lcl_95[0] == 0.0
    negative = spc([-1.0, 9.0, 2.0, 8.0], chart="i", y_neg=False)
    assert negative.lcl[0] < 0


def test_multiply_scales_values_and_lines():
    r = spc([1, 2, 3], [10, 10, 10], chart="p", multiply=100)
    assert r.y.tolist() == pytest.approx([10.0, 20.0, 30.0])
    assert r.cl[0] == pytest.approx(20.0)
    assert r.runs[0].centre == pytest.approx(20.0)


def test_summary_means_and_counts():
    y = [5.0, 5.5, 4.5, 5.0, 100.0, 5.2, 4.8, 5.1, 4.9, 5.3, 4.7, 5.0]
    r = spc(y, chart="i", exclude=[4])
    part = r.runs[0]
    assert part.sigma_signals == 1
    assert part.a_ucl == pytest.approx(r.ucl[0]) and part.centre == pytest.approx(r.cl[0])
    run = spc([1, 2, 3], chart="run").runs[0]
    assert math.isnan(run.a_lcl) and math.isnan(run.a_ucl_95)


def test_results_are_read_only_and_do_not_alias_the_input():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    r = spc(y, chart="run")
    y[0] = 100.0
    assert r.y[0] == 1.0
    with pytest.raises(ValueError):
        r.cl[0] = 0.0


def test_centre_line_is_r_exact_so_points_on_it_are_found():
    # R: mean(c(0.1, 0.2, 0.3)) == 0.2; a plain double mean gives 0.20000000000000004
    for chart in ("i", "c"):
        r = spc([0.1, 0.2, 0.3], chart=chart)
        assert r.cl[0] == 0.2 and r.runs[0].n_useful == 2
    r = spc([0.1, 0.2, None, 0.3], chart="i")
    assert r.cl[0] == 0.2 and r.runs[0].n_useful == 2
    assert spc([1.0, 2.0, 3.0], [10.0, 10.0, 10.0], chart="u").cl[0] == 0.2


def test_long_series_use_double_sums():
    y = np.tile([0.1, 0.2, 0.3], 10_000)
    y[4] = np.nan  # a 0.2: the mean stays 0.2
    r = spc(y, chart="i")
    assert r.cl[0] == pytest.approx(0.2)
    assert spc(y, np.full(y.size, 1.0), chart="u").cl[0] == pytest.approx(0.2)


def test_subgroup_means_are_r_exact():
    r = spc([[0.1, 0.2, 0.3], [0.2, 0.2], [0.1, 0.3]], chart="xbar")
    assert r.y.tolist() == [0.2, 0.2, 0.2] and r.cl[0] == 0.2 and r.runs[0].n_useful == 0
    inf = spc([[np.inf, 1.0], [1.0, 2.0]], chart="xbar")
    assert inf.y[0] == np.inf and inf.y[1] == 1.5


def test_flat_lines_are_read_only_views_and_infinite_ones_are_missing():
    r = spc(np.arange(1000.0), chart="i", multiply=2)
    assert r.ucl.strides == (0,) and not r.ucl.flags.writeable
    assert r.ucl.tolist() == [r.ucl[0]] * 1000
    inf = spc([np.inf, 1.0, 2.0], chart="i")
    assert np.isnan(inf.ucl).all() and np.isnan(inf.lcl_95).all() and inf.cl[0] == np.inf
