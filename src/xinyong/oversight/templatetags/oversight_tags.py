from django import template

from xinyong.oversight import charts

register = template.Library()


@register.filter
def svg_data_uri(svg: str) -> str:
    return charts.data_uri(svg)


@register.filter
def percent(rate: float | str | None) -> str:
    return "—" if rate is None or rate == "" else f"{100 * float(rate):.1f}%"


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key)
