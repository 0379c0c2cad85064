from django.urls import path

from xinyong.rights import views

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
]
