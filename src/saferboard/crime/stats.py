"""Is a change between two counts more than chance? The exact conditional test.

Two crime counts over windows of equal length are treated as Poisson with rates λ₁
(current) and λ₀ (previous). Given their total n = x₁ + x₀, the current count is
binomial, x₁ ~ Binomial(n, λ₁ / (λ₁ + λ₀)), which under "no change" (λ₁ = λ₀) has
p = 0.5. The two-sided exact binomial test of x₁ out of n against p = 0.5 is therefore
an exact test of equal rates that needs no large-count approximation (Przyborowski and
Wilenski, 1940). A change is called significant when the p-value is below 5%.
"""

from __future__ import annotations

import functools

from scipy.stats import binomtest

ALPHA = 0.05


@functools.lru_cache(maxsize=65536)
def change_p_value(current: int, previous: int) -> float:
    """Two-sided p-value for 'the rate did not change' between two equal windows.

    Remembered per pair of counts (a pure function, and about 2 ms of scipy a call):
    a warm dashboard asks the same fifteen again."""
    total = current + previous
    if total == 0:
        return 1.0
    return float(binomtest(current, total, 0.5, alternative="two-sided").pvalue)


def is_significant(current: int, previous: int, alpha: float = ALPHA) -> bool:
    return change_p_value(current, previous) < alpha
