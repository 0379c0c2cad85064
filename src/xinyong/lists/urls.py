from django.urls import path

from xinyong.lists import views

app_name = "lists"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("types/", views.list_type_list, name="list_type_list"),
    path("propose/", views.entry_propose, name="propose"),
    path("<id:pk>/", views.entry_detail, name="entry_detail"),
    path("<id:pk>/notice/", views.entry_notice, name="notice"),
    path("<id:pk>/decision/", views.entry_decision, name="decision"),
    path("<id:pk>/<slug:action>/", views.entry_act, name="act"),
]
