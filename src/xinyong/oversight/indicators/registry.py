"""The indicator registry: each indicator is one small function that counts,
for one month, a numerator and a denominator per department.

An indicator declares its code (stable: schemes and stored figures name it),
its Chinese label, whether a higher rate is better, and the default weight
and target of the shipped scheme. A new source is one more function in this
package; schemes that do not name it give it no weight. Indicators added
after the shipped scheme's weights were set (专项治理, repair deadlines, the
commitment and training ratios) ship with weight 0: they are shown in the
figures and weighed once the credit office revises the scheme.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.functional import Promise

from xinyong.oversight.periods import Month


class Tally(NamedTuple):
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


# department id → its tally; a department absent has nothing to count (n/a).
Tallies = dict[int, Tally]
Compute = Callable[[Month, list[int] | None], Tallies]
District = Callable[[Month], Tally]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise
    numerator_label: str | Promise
    denominator_label: str | Promise
    compute: Compute
    higher_is_better: bool = True
    weight: int = 10
    target: float = 1.0
    basis: str | Promise = ""
    # A year adds its months' tallies up; a running total (the case quota,
    # counted from January) takes the last month's instead.
    cumulative: bool = False
    # The district's figure when it is not the departments' sum: an indicator that counts
    # subjects (one listed by two departments counts for each) gives the district's own,
    # each subject once, as the plan's target reads it.
    district: District | None = None


_REGISTRY: dict[str, Indicator] = {}


def indicator(
    code: str,
    *,
    label: str | Promise,
    numerator: str | Promise,
    denominator: str | Promise,
    higher_is_better: bool = True,
    weight: int = 10,
    target: float = 1.0,
    basis: str | Promise = "",
    cumulative: bool = False,
    district: District | None = None,
) -> Callable[[Compute], Compute]:
    """Register `compute(month, department_ids)` as the indicator `code`."""

    def register(compute: Compute) -> Compute:
        if code in _REGISTRY:
            raise ValueError(f"indicator {code!r} is registered twice")
        _REGISTRY[code] = Indicator(
            code=code,
            label=label,
            numerator_label=numerator,
            denominator_label=denominator,
            compute=compute,
            higher_is_better=higher_is_better,
            weight=weight,
            target=target,
            basis=basis,
            cumulative=cumulative,
            district=district,
        )
        return compute

    return register


def indicators() -> list[Indicator]:
    """Every registered indicator, in registration order."""
    from xinyong.oversight.indicators import load  # the modules register on import

    load()
    return list(_REGISTRY.values())


def get(code: str) -> Indicator | None:
    return {i.code: i for i in indicators()}.get(code)
