from django.http import FileResponse, HttpRequest
from django.urls import path, re_path
from django.views.static import serve

from xinyong.portal import cases, commitments, disclosure, repairs, views

app_name = "portal"


def _media(request: HttpRequest, path: str) -> FileResponse:
    """Article images. A deployment's web server serves /media/ itself; this
    keeps `xinyong run` complete without one. Only the articles folder."""
    from django.conf import settings

    return serve(request, path, document_root=str(settings.MEDIA_ROOT / "articles"))


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search_view, name="search"),
    path("subjects/<id:pk>/", views.subject_detail, name="subject"),
    path("shuanggongshi/<slug:kind>.csv", views.record_csv, name="record_csv"),
    path("shuanggongshi/<slug:kind>/", views.record_list, name="record_list"),
    path("shuanggongshi/<slug:kind>/<id:pk>/", views.record_detail, name="record_detail"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/<slug:code>/", views.list_detail, name="list_detail"),
    path("articles/<id:pk>/", views.article_detail, name="article"),
    path("guide/<slug:topic>/", views.guide, name="guide"),
    path("objections/new/", views.objection_file, name="objection_file"),
    path("applications/", views.application_status, name="application_status"),
    re_path(r"^media/articles/(?P<path>.+)$", _media, name="article_media"),
    path("news/", views.article_list, {"section": "news"}, name="news"),
    path("policy/", views.article_list, {"section": "policy"}, name="policy"),
    path("education/", views.article_list, {"section": "education"}, name="education"),
    path("education/cases/", cases.case_list, name="cases"),
    path("education/cases/<id:pk>/", cases.case_detail, name="case"),
    path("tags/<id:pk>/", views.tag_detail, name="tag"),
    path("disclosure/", disclosure.disclosure_open, name="disclosure_open"),
    path("disclosure/file/", disclosure.disclosure_file, name="disclosure_file"),
    path("repairs/new/", repairs.repair_file, name="repair_file"),
    path("commitments/", commitments.commitment_list, name="commitments"),
    path("commitments/new/", commitments.commitment_new, name="commitment_new"),
    path("training/<id:pk>/enrol/", commitments.training_enrol, name="training_enrol"),
]
