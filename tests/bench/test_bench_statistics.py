import math

import numpy as np
import pytest

from lazycc.bench import stats


def test_geomean_known_values():
    assert stats.geomean([1, 4]) == pytest.approx(2.0)
    assert stats.geomean([2, 8, 4]) == pytest.approx(4.0)
    assert math.isnan(stats.geomean([]))
    with pytest.raises(ValueError):
        stats.geomean([1, 0])


def test_mean_median_delta_improved():
    assert stats.mean([1, 2, 3, 6]) == 3
    assert stats.median([1, 2, 3, 6]) == 2.5
    assert stats.delta_pct(2.0, 1.5) == pytest.approx(-25.0)
    assert stats.pct_improved([1, 1, 1, 1], [0.5, 1, 2, 0.9]) == 50.0


def test_bootstrap_ci_deterministic_and_sane():
    xs = list(range(1, 101))
    a = stats.bootstrap_ci(xs, seed=1)
    b = stats.bootstrap_ci(xs, seed=1)
    assert a == b
    lo, hi = a
    assert lo < 50.5 < hi
    # the median of 1..100 has a standard error of about 1.25*29/sqrt(100) ~ 3.6: CI ~ +-7
    assert 40 < lo < 48 and 53 < hi < 61
    assert stats.bootstrap_ci([3.0]) == (3.0, 3.0)
    assert all(math.isnan(v) for v in stats.bootstrap_ci([]))


def test_bootstrap_ci_constant_sample():
    assert stats.bootstrap_ci([2.0] * 10) == (2.0, 2.0)
    lo, hi = stats.geomean_ci([2.0] * 5)
    assert lo == pytest.approx(2.0) and hi == pytest.approx(2.0)


def test_permutation_test_exact_values():
    # fully separated samples of 3: only the observed split and its mirror are as extreme
    assert stats.permutation_test([1, 2, 3], [4, 5, 6]) == pytest.approx(2 / 20)
    assert stats.permutation_test([1, 2, 3, 4], [5, 6, 7, 8]) == pytest.approx(2 / 70)
    assert stats.permutation_test([1, 1], [1, 1]) == 1.0


def test_permutation_test_monte_carlo_is_seeded():
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, 20)
    b = rng.normal(3, 1, 20)
    p1 = stats.permutation_test(a, b, n_permutations=500, seed=3)
    assert p1 == stats.permutation_test(a, b, n_permutations=500, seed=3)
    assert p1 == pytest.approx(1 / 501)


def test_mann_whitney_u_known_value():
    # U for x=[1,2,3], y=[4,5,6] is 0; normal approx z = (0-4.5)/sqrt(3*3*7/12) = -1.964
    u, p = stats.mann_whitney_u([1, 2, 3], [4, 5, 6])
    assert u == 0
    assert p == pytest.approx(math.erfc(4.5 / math.sqrt(5.25) / math.sqrt(2)))
    assert p == pytest.approx(0.0495, abs=1e-3)
    u, _ = stats.mann_whitney_u([1, 2, 2], [2, 3])
    assert u == pytest.approx(1.0)  # ranks 1, 3, 3 | 3, 5: R1 = 7, U = 7 - 6 = 1
