from django.urls import path

from xinyong.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("new/", views.item_create, name="item_create"),
    path("change-requests/", views.change_request_list, name="change_request_list"),
    path("change-requests/<int:pk>/", views.change_request_detail, name="change_request_detail"),
    path("code-lists/", views.code_list_list, name="code_list_list"),
    path("code-lists/<slug:code>/", views.code_list_edit, name="code_list_edit"),
    path("<slug:code>/", views.item_detail, name="item_detail"),
    path("<slug:code>/edit/", views.item_edit, name="item_edit"),
    path("<slug:code>/add-field/", views.field_add, name="field_add"),
    path("<slug:code>/fields/<slug:key>/", views.field_edit, name="field_edit"),
    path("<slug:code>/fields/<slug:key>/remove/", views.field_remove, name="field_remove"),
    path("<slug:code>/versions/<id:number>/", views.version_detail, name="version_detail"),
    path("<slug:code>/versions/<id:number>/diff/", views.version_diff, name="version_diff"),
]
