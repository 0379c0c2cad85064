from django.urls import path

from xinyong.rights import commitment_views, views, views_disclosure

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
    # Commitments and repair training (issue 14 §5–6).
    path("commitments/", commitment_views.commitment_list, name="commitment_list"),
    path("commitments/upload/", commitment_views.commitment_upload, name="commitment_upload"),
    path(
        "commitments/uploads/<id:pk>/",
        commitment_views.commitment_upload_detail,
        name="commitment_upload_detail",
    ),
    path("commitments/<id:pk>/", commitment_views.commitment_detail, name="commitment_detail"),
    path(
        "commitments/<id:pk>/decide/",
        commitment_views.commitment_decide,
        name="commitment_decide",
    ),
    path("training/", commitment_views.training_list, name="training_list"),
    path("training/<id:pk>/", commitment_views.training_detail, name="training_detail"),
    path("training/<id:pk>/enrol/", commitment_views.training_enrol_view, name="training_enrol"),
    path(
        "training/enrolments/<id:pk>/mark/",
        commitment_views.training_mark_view,
        name="training_mark",
    ),
    path(
        "training/enrolments/<id:pk>/certificate/",
        commitment_views.training_certificate,
        name="training_certificate",
    ),
]
