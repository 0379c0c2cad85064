from django.urls import path, register_converter

from xinyong.oversight import views
from xinyong.oversight.campaigns import views as campaign_views


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(MonthConverter, "month")

app_name = "oversight"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<month:month>/", views.report_detail, name="report_detail"),
    path("reports/<month:month>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<month:month>/<slug:action>/", views.report_action, name="report_action"),
    path("assessment/<int:year>/", views.assessment_year, name="assessment"),
    path(
        "assessment/<int:year>/<slug:code>/",
        views.assessment_department,
        name="assessment_department",
    ),
    path("powers/<slug:code>/", views.powers, name="powers"),
    path("scheme/", views.scheme, name="scheme"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/add/", campaign_views.campaign_add, name="campaign_add"),
    path("campaigns/<int:pk>/upload/", campaign_views.campaign_upload, name="campaign_upload"),
    path(
        "campaigns/<int:pk>/targets/<int:target_id>/<slug:action>/",
        campaign_views.target_action,
        name="campaign_target",
    ),
]
