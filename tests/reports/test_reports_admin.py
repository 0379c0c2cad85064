"""The admin shows the credit office the agencies and their filings, read-only: they are
registered and reviewed on the staff pages, through audited services."""

import pytest

from xinyong.reports.models import Agency

pytestmark = pytest.mark.django_db


def test_admin_lists_agencies_but_does_not_add_them(admin_user, client_as, agency):
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    client = client_as(admin_user)
    listing = client.get("/admin/reports/agency/")
    assert listing.status_code == 200 and agency.filing_number in listing.content.decode()
    assert client.get("/admin/reports/agency/add/").status_code == 403
    assert client.get("/admin/reports/agencyreport/").status_code == 200
    assert Agency.objects.count() == 1
