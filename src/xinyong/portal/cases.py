"""诚信宣传 · 典型案例: the joint reward and punishment cases the credit office published."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xinyong.portal import selectors as portal
from xinyong.records import selectors as records
from xinyong.sanctions import selectors


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    tag = portal.tag_from_param(request.GET.get("tag"))
    page = records.page_of(selectors.cases_published(tag), _page_number(request), 15)
    return render(
        request,
        "portal/case_list.html",
        {
            "page": page,
            "section": "education",
            "tag": tag,
            "filter_query": urlencode({"tag": tag.pk}) if tag else "",
        },
    )


@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_published(pk)
    return render(request, "portal/case_detail.html", {"case": case, "section": "education"})
