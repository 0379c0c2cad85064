from django import template

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 2) -> str:
    """`0.0123` → `1.23%`; None → `—` (no figures)."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"
