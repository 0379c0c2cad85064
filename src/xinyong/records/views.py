from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.records import selectors


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get_for(request.user, pk)
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "fields": selectors.record_fields(record),
            "history": selectors.record_history(record),
        },
    )
