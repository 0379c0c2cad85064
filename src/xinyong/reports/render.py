"""A report's HTML (one template, `reports/report.html`) and its PDF (WeasyPrint), with
the QR code of its verification page and a bar chart of records by year, both inline SVG
so that the HTML needs no other file and the PDF no network.

Fonts: the stylesheet asks for one family, Noto Sans CJK SC, which Debian's
`fonts-noto-cjk` installs (`./dev test` and docs/deploy.md); WeasyPrint embeds the glyphs
it uses. It subsets them with HarfBuzz (`libharfbuzz-subset0`) where installed: with the
fontTools fallback a CJK report takes about ten times longer (bench notes in the README).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from xinyong.core.pdf import html_to_pdf
from xinyong.reports.content import Bar, Content

CHART_WIDTH = 520
CHART_HEIGHT = 180
_BASELINE = 150  # y of the axis, in the SVG's units
_TOP = 20
LICENCE_FILL = "#2a6fb0"
PENALTY_FILL = "#c0392b"


def qr_svg(url: str) -> SafeString:
    """The QR code of `url` as an inline SVG element (qrcode's path image: one <path>)."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=8,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    text = buffer.getvalue().decode()
    # Drop the XML declaration: the element is inlined into HTML.
    start = text.find("<svg")
    # The text is qrcode's own output for our URL: no user markup can reach it.
    return mark_safe(text[start:])  # noqa: S308


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One bar's geometry, ready for the template (no arithmetic in templates)."""

    x: int
    y: int
    height: int
    width: int
    fill: str
    count: int
    label_x: int


@dataclass(frozen=True, slots=True)
class ChartYear:
    label: str
    label_x: int
    bars: list[ChartBar]


def chart_geometry(bars: list[Bar]) -> list[ChartYear]:
    """Two bars a year (licences, penalties), scaled to the largest count."""
    if not bars:
        return []
    top = max(max(b.licences, b.penalties) for b in bars) or 1
    slot = (CHART_WIDTH - 40) // len(bars)
    width = max(slot // 3, 4)
    years = []
    for i, bar in enumerate(bars):
        left = 40 + i * slot + (slot - 2 * width) // 2
        items = []
        for j, (count, fill) in enumerate(
            ((bar.licences, LICENCE_FILL), (bar.penalties, PENALTY_FILL))
        ):
            height = round((_BASELINE - _TOP) * count / top)
            x = left + j * width
            items.append(
                ChartBar(
                    x=x,
                    y=_BASELINE - height,
                    height=height,
                    width=width - 2,
                    fill=fill,
                    count=count,
                    label_x=x + (width - 2) // 2,
                )
            )
        years.append(ChartYear(label=bar.label, label_x=left + width, bars=items))
    return years


@dataclass(frozen=True, slots=True)
class Printed:
    html: str
    pdf: bytes


def render_html(content: Content, *, number: str, issued: str, verify_url: str, issuer: str) -> str:
    return render_to_string(
        "reports/report.html",
        {
            "c": content,
            "number": number,
            "issued": issued,
            "verify_url": verify_url,
            "issuer": issuer,
            "qr": qr_svg(verify_url),
            "chart": chart_geometry(content.chart),
            "chart_width": CHART_WIDTH,
            "chart_height": CHART_HEIGHT,
            "baseline": _BASELINE,
        },
    )


def print_report(
    content: Content, *, number: str, issued: str, verify_url: str, issuer: str
) -> Printed:
    html = render_html(content, number=number, issued=issued, verify_url=verify_url, issuer=issuer)
    return Printed(html=html, pdf=html_to_pdf(html))
