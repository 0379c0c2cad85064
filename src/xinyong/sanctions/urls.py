from django.urls import path

from xinyong.sanctions import views

app_name = "sanctions"

urlpatterns = [
    path("checks/", views.check_page, name="check"),
    path("checks/bulk/", views.check_bulk, name="check_bulk"),
    path("checks/bulk/<id:pk>/", views.bulk_detail, name="bulk_detail"),
    path("checks/bulk/<id:pk>/result.xlsx", views.bulk_result, name="bulk_result"),
    path("checks/feedback/", views.feedback_list, name="feedback_list"),
    path("checks/coverage/", views.coverage, name="coverage"),
    path("checks/<id:pk>/", views.check_detail, name="check_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/<id:feedback_id>/", views.case_new, name="case_new"),
    path("cases/<id:pk>/", views.case_detail, name="case_detail"),
    path("cases/<id:pk>/<slug:action>/", views.case_action, name="case_action"),
]
