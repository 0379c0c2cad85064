from django.urls import path

from xinyong.rights import views, views_disclosure

app_name = "rights"

urlpatterns = [
    path("objections/", views.objection_list, name="objection_list"),
    path("objections/<id:pk>/", views.objection_detail, name="objection_detail"),
    path(
        "objections/<id:pk>/attachments/<id:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("objections/<id:pk>/<slug:action>/", views.objection_act, name="objection_act"),
    path("disclosure/", views_disclosure.counter, name="disclosure_counter"),
    path("disclosure/<id:pk>/", views_disclosure.file, name="disclosure_file"),
    path("disclosure/codes/", views_disclosure.codes, name="disclosure_codes"),
    path(
        "disclosure/codes/<id:pk>/revoke/",
        views_disclosure.code_revoke,
        name="disclosure_code_revoke",
    ),
]

# Credit repair (信用修复) and the 信用修复告知书 of a record.
from xinyong.rights import repair_views  # noqa: E402

urlpatterns += [
    path("repairs/", repair_views.repair_list, name="repair_list"),
    path("repairs/<id:pk>/", repair_views.repair_detail, name="repair_detail"),
    path(
        "repairs/<id:pk>/attachments/<id:attachment_pk>/",
        repair_views.repair_attachment_download,
        name="repair_attachment_download",
    ),
    path("repairs/<id:pk>/<slug:action>/", repair_views.repair_act, name="repair_act"),
    path("records/<id:pk>/repair-notice/", repair_views.repair_notice, name="repair_notice"),
]
