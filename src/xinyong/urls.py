from django.contrib import admin
from django.urls import include, path

from xinyong.api import api

admin.site.site_header = "信用 Xinyong 管理后台"
admin.site.site_title = "信用 Xinyong"
admin.site.index_title = "参考数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("staff/ingest/", include("xinyong.ingest.urls")),
    path("staff/records/", include("xinyong.records.urls")),
    path("staff/subjects/", include("xinyong.subjects.urls")),
    path("staff/catalog/", include("xinyong.catalog.urls")),
    path("staff/lists/", include("xinyong.lists.urls")),
    path("staff/", include("xinyong.sanctions.urls")),
    path("staff/rights/", include("xinyong.rights.urls")),
    path("staff/reports/", include("xinyong.reports.urls")),
    path("reports/", include("xinyong.reports.public_urls")),
    path("agencies/", include("xinyong.reports.agency_public_urls")),
    path("staff/exchange/", include("xinyong.exchange.urls")),
    path("staff/oversight/", include("xinyong.oversight.urls")),
    path("tongbao/", include("xinyong.oversight.public_urls")),
    path("shuju/", include("xinyong.oversight.open_data_urls")),
    path("staff/integrity/", include("xinyong.integrity.urls")),
    path("zhengwu-tousu/", include("xinyong.integrity.public_urls")),
    path("staff/", include("xinyong.orgs.urls")),
    path("", include("xinyong.portal.urls")),
]

handler404 = "xinyong.core.views.page_not_found"
handler500 = "xinyong.core.views.server_error"
