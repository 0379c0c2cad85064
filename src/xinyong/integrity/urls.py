from django.urls import path

from xinyong.integrity import views

app_name = "integrity"

urlpatterns = [
    path("government/", views.government, name="government"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/<id:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<id:pk>/<slug:action>/", views.complaint_act, name="complaint_act"),
    path("people/", views.person_lookup, name="person_lookup"),
    path("people/<id:pk>/", views.person_file, name="person_file"),
    path("check/", views.integrity_check, name="check"),
]
