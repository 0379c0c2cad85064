from django.urls import path

from xinyong.rights import commitment_views, views

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
