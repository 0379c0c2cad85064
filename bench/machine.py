"""What the machine did during a measurement: the share of CPU time the
hypervisor gave to other guests ("steal"). On a shared virtual machine it
varies from 0 to a third of the time, and every figure with it: the
benchmarks print it beside their figures, so that runs can be compared."""

from pathlib import Path

_STAT = Path("/proc/stat")


def cpu_times() -> list[int] | None:
    """The machine's CPU time counters (user … steal), or None off Linux."""
    try:
        first = _STAT.read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    return [int(x) for x in first[1:9]]


def steal_share(before: list[int] | None, after: list[int] | None) -> float | None:
    """The share of CPU time stolen between two `cpu_times()` readings."""
    if before is None or after is None:
        return None
    spent = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(spent)
    return spent[7] / total if total else 0.0


def steal_text(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"
