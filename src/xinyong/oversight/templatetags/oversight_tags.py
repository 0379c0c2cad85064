from django import template

from xinyong.oversight import charts

register = template.Library()


@register.filter
def svg_data_uri(svg: str) -> str:
    return charts.data_uri(svg)


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f}%"
