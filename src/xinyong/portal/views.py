"""The public website 信用神农架: thin views over `records.selectors` (records,
subject pages), `lists.public` (red and black lists), `subjects.search` and
`portal.selectors` (articles)."""

from urllib.parse import quote, urlencode

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.http import require_http_methods, require_safe

from xinyong.core import ratelimit
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.lists import public as lists_public
from xinyong.lists.models import ListType
from xinyong.portal import selectors
from xinyong.portal.forms import RecordFilterForm
from xinyong.portal.models import Article
from xinyong.records import exports
from xinyong.records import selectors as records
from xinyong.rights.forms import FileForm, StatusForm
from xinyong.rights.models import Repair
from xinyong.rights.ratelimit import ensure_within_rate
from xinyong.rights.repair_selectors import application_by_secret
from xinyong.rights.services import objection_submit
from xinyong.rights.services.objection import Applicant
from xinyong.subjects import search

SECTION_SLUGS = {
    "news": Article.Section.NEWS,
    "policy": Article.Section.POLICY,
    "education": Article.Section.EDUCATION,
}


# No listing has this many pages; past it the row offset could overflow the database's
# 64-bit integer (a 500). A page beyond the last is answered as empty, as before.
MAX_PAGE = 10**9
# A download asked for while its file is being built: try again after this long.
EXPORT_RETRY_SECONDS = 30


def _page_number(request: HttpRequest) -> int:
    try:
        return min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        return 1


def _kind(slug: str) -> records.Kind:
    try:
        return records.get_kind(slug)
    except NotFoundError:
        raise Http404 from None


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The cheapest Django view: the benchmark's ceiling and a load balancer's probe."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "counts": records.public_counts(),
            "latest_licences": records.latest(records.KINDS["licences"]),
            "latest_penalties": records.latest(records.KINDS["penalties"]),
            "articles": selectors.latest_articles(5),
            "kinds": records.KINDS,
            "export_built_at": exports.export_built_at(),
        },
    )


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    if q.strip():
        ratelimit.check(request, "search")
    result = search.search_subjects(q, page=_page_number(request)) if q.strip() else None
    return render(
        request,
        "portal/search.html",
        {
            "q": q.strip()[: search.MAX_LENGTH],
            "result": result,
            "min_length": search.MIN_LENGTH,
            "start": (result.page - 1) * result.page_size + 1 if result else 1,
        },
    )


@require_safe
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = records.subject_page(pk)
    return render(
        request,
        "portal/subject_detail.html",
        {
            "subject": page.subject,
            "identifiers": page.identifiers,
            "groups": page.groups,
            "page_size": page.per_group,
            "listings": lists_public.subject_entries_public(
                page.subject, [r for group in page.groups for r in group.records]
            ),
        },
    )


@require_safe
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    kind_ = _kind(kind)
    form = RecordFilterForm(request.GET, kind=kind_)
    filters = form.filters()
    page = records.page_of(records.record_list(kind_, filters), _page_number(request))
    page.rows = [records.public_view(r) for r in page.rows]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/record_list.html",
        {
            "kind": kind_,
            "kinds": records.KINDS,
            "form": form,
            "page": page,
            "filter_query": query.urlencode(),
            "filters": filters,
            "export_built_at": exports.export_built_at(),
        },
    )


@require_safe
def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    kind_ = _kind(kind)
    try:
        record = records.record_get_public(kind_, pk)
    except NotFoundError:
        withdrawn = records.record_get_withdrawn(kind_, pk)
        if withdrawn is None:
            raise
        # Gone, and the public is told why (行政处罚法 art. 48: 公开说明理由).
        return render(
            request,
            "portal/record_withdrawn.html",
            {"kind": kind_, "record": withdrawn},
            status=410,
        )
    return render(
        request,
        "portal/record_detail.html",
        {"kind": kind_, "record": records.public_view(record, with_fields=True)},
    )


@require_safe
def record_csv(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The public 双公示 of a kind as CSV (all of it, or one department's): the
    file the worker built (`records.exports`), streamed from disk. None
    built yet, or the last one out of date: 503, the build is enqueued."""
    kind_ = _kind(kind)
    department = request.GET.get("department", "").strip()
    try:
        export = exports.export_file(kind_, department)
    except exports.ExportUnavailable:
        exports.export_request()
        preparing = render(request, "portal/export_preparing.html", {"kind": kind_}, status=503)
        preparing["Retry-After"] = str(EXPORT_RETRY_SECONDS)
        return preparing
    ratelimit.check(request, "download")  # a file served counts, a 503 does not
    modified = http_date(export.built_at.timestamp())
    response: HttpResponseBase
    if request.headers.get("If-None-Match") == export.etag or (
        "If-None-Match" not in request.headers
        and request.headers.get("If-Modified-Since") == modified
    ):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(open(export.path, "rb"), content_type="text/csv; charset=utf-8")
        # RFC 6266/5987: an ASCII name for old clients, the Chinese one for the rest.
        response["Content-Disposition"] = (
            f'attachment; filename="{export.ascii_name}"; '
            f"filename*=UTF-8''{quote(export.download_name)}"
        )
    response["ETag"] = export.etag
    response["Last-Modified"] = modified
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def article_list(request: HttpRequest, section: str) -> HttpResponse:
    value = SECTION_SLUGS.get(section)
    if value is None:
        raise Http404
    tag = selectors.tag_from_param(request.GET.get("tag"))
    page = records.page_of(selectors.articles(value, tag), _page_number(request), 15)
    return render(
        request,
        "portal/article_list.html",
        {
            "section": section,
            "section_label": Article.Section(value).label,
            "page": page,
            "tag": tag,
            "filter_query": urlencode({"tag": tag.pk}) if tag else "",
        },
    )


@require_safe
def tag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The published articles and cases with one tag."""
    tag = selectors.tag_get(pk)
    page = selectors.tagged_page(tag, _page_number(request))
    return render(request, "portal/tag_detail.html", {"tag": tag, "page": page})


@require_safe
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_get(pk)
    slug = next(k for k, v in SECTION_SLUGS.items() if v == article.section)
    return render(request, "portal/article_detail.html", {"article": article, "section": slug})


@require_safe
def guide(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in ("repair", "objection"):
        raise Http404
    return render(request, f"portal/guide_{topic}.html")


# -- red and black lists (lists.public) ---------------------------------------------


@require_safe
def list_index(request: HttpRequest) -> HttpResponse:
    types = list(lists_public.list_types_public())
    return render(
        request,
        "portal/list_index.html",
        {
            "red": [t for t in types if t.kind == ListType.Kind.RED],
            "black": [t for t in types if t.kind != ListType.Kind.RED],
        },
    )


@require_safe
def list_detail(request: HttpRequest, code: str) -> HttpResponse:
    list_type = lists_public.list_type_public(code)
    if list_type is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    page = records.page_of(lists_public.list_query(list_type, q), _page_number(request))
    page.rows = [lists_public.to_public(r, list_type) for r in page.rows]
    return render(
        request,
        "portal/list_detail.html",
        {
            "list_type": list_type,
            "period": lists_public.period_text(list_type),
            "q": q,
            "page": page,
            "filter_query": urlencode({"q": q}) if q else "",
        },
    )


# -- objections without an account (rights) ------------------------------------------


def _objection_target(record_id: object) -> records.PublicRecord:
    try:
        pk = int(str(record_id))
    except ValueError:
        raise Http404 from None
    record = records.record_list_public().filter(pk=pk).first()
    if record is None:
        raise Http404
    return records.public_view(record)


@require_http_methods(["GET", "HEAD", "POST"])
def objection_file(request: HttpRequest) -> HttpResponse:
    """The filing form of an objection against one public record; on success
    the tracking number and the secret, shown once."""
    if request.method != "POST":
        target = _objection_target(request.GET.get("record", ""))
        form = FileForm(initial={"record_id": target.id, "applicant_kind": "legal"})
        return render(request, "portal/objection_file.html", {"form": form, "target": target})
    form = FileForm(request.POST, request.FILES)
    target = _objection_target(request.POST.get("record_id", ""))
    if form.is_valid():
        data = form.cleaned_data
        try:
            ensure_within_rate(request, scope="file")
            filed = objection_submit(
                record_id=target.id,
                applicant=Applicant(
                    name=data["applicant_name"],
                    kind=data["applicant_kind"],
                    code=data["applicant_code"],
                    phone=data["applicant_phone"],
                    email=data.get("applicant_email") or "",
                ),
                reason=data["reason"],
                attachments=data["attachments"],
                request=request,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return render(
                request,
                "portal/objection_file.html",
                {"form": form, "target": target},
                status=exc.status,
            )
        return render(
            request,
            "portal/objection_filed.html",
            {"objection": filed.objection, "secret": filed.secret},
            status=201,
        )
    return render(
        request, "portal/objection_file.html", {"form": form, "target": target}, status=400
    )


@require_http_methods(["GET", "HEAD", "POST"])
def application_status(request: HttpRequest) -> HttpResponse:
    """An application's progress by its number and secret (sent by POST, so
    that the secret stays out of addresses and logs); 404 when either is wrong."""
    if request.method != "POST":
        form = StatusForm(initial={"number": request.GET.get("number", "")})
        return render(request, "portal/application_status.html", {"form": form})
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/application_status.html", {"form": form}, status=400)
    try:
        # Guessing a secret is a search: the same per-address limit.
        ratelimit.check(request, "search")
        found = application_by_secret(
            number=form.cleaned_data["number"], secret=form.cleaned_data["secret"]
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return render(request, "portal/application_status.html", {"form": form}, status=exc.status)
    key = "repair" if isinstance(found, Repair) else "objection"
    return render(request, "portal/application_status.html", {"form": StatusForm(), key: found})
