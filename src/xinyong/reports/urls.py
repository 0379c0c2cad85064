from django.urls import path

from xinyong.reports import agency_views, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<id:pk>/", views.report_detail, name="detail"),
    path("<id:pk>/file.<str:fmt>", views.report_file, name="file"),
]

urlpatterns += [
    path("agencies/", agency_views.agency_list, name="agency_list"),
    path("agencies/<id:pk>/", agency_views.agency_detail, name="agency_detail"),
    path("filings/", agency_views.filing_list, name="filing_list"),
    path("filings/new/", agency_views.filing_new, name="filing_new"),
    path("filings/<id:pk>/", agency_views.filing_detail, name="filing_detail"),
    path("filings/<id:pk>/file.pdf", agency_views.filing_file, name="filing_file"),
]
