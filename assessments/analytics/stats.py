"""Generic statistical helpers for the quality flags (standard library only).

Everything here works on plain numbers, so it can be unit-tested without a database and reused
elsewhere: average ranks and Spearman correlation, empirical-Bayes style shrinkage, the
Benjamini–Hochberg procedure, a type-7 quantile and the tail probabilities the flags need
(normal, Student t via the regularized incomplete beta function, exact binomial).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "average_ranks",
    "benjamini_hochberg",
    "betainc",
    "bh_adjust",
    "binomial_sf",
    "logit",
    "normal_sf",
    "one_sample_t_test",
    "quantile",
    "shrink",
    "shrink_weight",
    "spearman",
    "student_t_sf",
]


def shrink_weight(n: int, k: float) -> float:
    """Weight ``n / (n + k)`` given to a school's own value; 0 for an empty school."""
    if n < 0 or k < 0:
        raise ValueError("n and k must be non-negative")
    if n == 0:
        return 0.0
    return n / (n + k)


def shrink(value: float, n: int, mean: float, k: float) -> float:
    """Pull ``value`` (observed on ``n`` participants) towards ``mean``.

    ``mean + (value - mean) * n / (n + k)``: a school of ``k`` participants keeps half of its
    deviation, a large school almost all of it, an empty one none. ``k = 0`` disables shrinkage.
    """
    return mean + (value - mean) * shrink_weight(n, k)


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks; tied values get the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        rank = (start + end) / 2 + 1
        for position in range(start, end + 1):
            ranks[order[position]] = rank
        start = end + 1
    return ranks


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    syy = math.fsum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return math.nan
    return sxy / math.sqrt(sxx * syy)


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman rank correlation: Pearson correlation of average ranks (handles ties).

    Returns ``nan`` when either sequence is constant (the correlation is undefined).
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    if len(xs) < 2:
        raise ValueError("at least two pairs are needed")
    return _pearson(average_ranks(xs), average_ranks(ys))


def bh_adjust(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input order.

    ``q_(i) = min over j >= i of min(1, m * p_(j) / j)`` for the ascending p-values; a hypothesis is
    rejected at level ``q`` exactly when its adjusted value is ``<= q``.
    """
    m = len(p_values)
    for p in p_values:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p-value out of [0, 1]: {p!r}")
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for position in range(m - 1, -1, -1):
        index = order[position]
        running = min(running, p_values[index] * m / (position + 1))
        adjusted[index] = running
    return adjusted


def benjamini_hochberg(p_values: Sequence[float], q: float) -> list[bool]:
    """Benjamini–Hochberg step-up procedure at false-discovery level ``q``.

    Sort the ``m`` p-values ascending, find the largest rank ``i`` with ``p_(i) <= i * q / m`` and
    reject the ``i`` smallest. Returns one boolean per input p-value (True = discovery).
    """
    if not 0.0 < q < 1.0:
        raise ValueError("q must be in (0, 1)")
    m = len(p_values)
    for p in p_values:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p-value out of [0, 1]: {p!r}")
    order = sorted(range(m), key=lambda i: p_values[i])
    cutoff = 0
    for position, index in enumerate(order, start=1):
        if p_values[index] <= position * q / m:
            cutoff = position
    rejected = [False] * m
    for index in order[:cutoff]:
        rejected[index] = True
    return rejected


def quantile(values: Sequence[float], q: float) -> float:
    """Quantile with linear interpolation between order statistics (Hyndman–Fan type 7, as in R/numpy)."""
    if not values:
        raise ValueError("no values")
    if not 0.0 <= q <= 1.0:
        raise ValueError("q must be in [0, 1]")
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def normal_sf(z: float) -> float:
    """Upper tail ``P(Z > z)`` of the standard normal distribution."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    # Modified Lentz evaluation of the continued fraction for I_x(a, b) (Numerical Recipes, betacf).
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 5000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta function ``I_x(a, b)`` for ``a, b > 0``."""
    if a <= 0 or b <= 0:
        raise ValueError("a and b must be positive")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def student_t_sf(t: float, df: float) -> float:
    """Upper tail ``P(T > t)`` of Student's t distribution with ``df`` degrees of freedom."""
    if df <= 0:
        raise ValueError("df must be positive")
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def one_sample_t_test(values: Sequence[float], mu: float = 0.0) -> tuple[float, float]:
    """Two-sided one-sample t-test of ``mean(values) == mu``; returns ``(t, p)``.

    With zero spread the statistic is infinite (p = 0) unless the mean equals ``mu`` (t = 0, p = 1).
    """
    n = len(values)
    if n < 2:
        raise ValueError("at least two values are needed")
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    if sd == 0:
        if math.isclose(mean, mu, abs_tol=1e-12):
            return 0.0, 1.0
        return math.copysign(math.inf, mean - mu), 0.0
    t = (mean - mu) / (sd / math.sqrt(n))
    return t, min(1.0, 2.0 * student_t_sf(abs(t), n - 1))


def binomial_sf(k: int, n: int, p: float) -> float:
    """Exact upper tail ``P(X >= k)`` for ``X ~ Binomial(n, p)`` (via ``I_p(k, n - k + 1)``)."""
    if n < 0 or not 0.0 <= p <= 1.0:
        raise ValueError("need n >= 0 and p in [0, 1]")
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    return betainc(k, n - k + 1, p)
