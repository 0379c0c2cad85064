"""The demo: 组织部 and the reader departments, people with integrity
records, government bodies with 政务失信 records, complaints in the queue."""

import io

import pytest
from django.core.management.base import OutputWrapper
from django.urls import reverse

from xinyong.catalog.models import CatalogItem
from xinyong.integrity import demo
from xinyong.integrity.models import GovComplaint
from xinyong.orgs import demo as orgs_demo
from xinyong.orgs.models import User
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _load() -> None:
    out = OutputWrapper(io.StringIO())
    orgs_demo.load(seed=1, stdout=out)
    demo.load(seed=1, stdout=out)


def test_demo_data_and_who_reads_it(client):
    _load()
    assert list(
        CatalogItem.objects.get(code="GWY_CXDA").readers.values_list("short_code", flat=True)
    ) == ["zzb"]
    assert set(GovComplaint.objects.values_list("status", flat=True)) == {
        "submitted",
        "accepted",
        "closed",
    }
    assert Subject.objects.government().count() >= 3
    civil = Record.objects.filter(item__code="GWY_CXDA").first()
    teacher = Record.objects.filter(item__code="GRCX_JS").first()
    zzb = User.objects.get(username="zzb_officer")
    jiaoyu = User.objects.get(username="jiaoyu_officer")
    client.force_login(zzb)
    assert client.get(reverse("records:detail", args=[civil.pk])).status_code == 200
    assert client.get(reverse("records:detail", args=[teacher.pk])).status_code == 404
    home = client.get("/staff/").content.decode()
    assert reverse("integrity:person_lookup") in home
    client.force_login(jiaoyu)
    assert client.get(reverse("records:detail", args=[civil.pk])).status_code == 404
    assert (
        client.get(reverse("integrity:person_file", args=[teacher.subject_id])).status_code == 200
    )
    client.force_login(User.objects.get(username="admin"))
    assert "政府违约失信投诉待办 2 件" in client.get("/staff/").content.decode()
    counts = (Record.objects.count(), GovComplaint.objects.count())
    _load()  # idempotent
    assert (Record.objects.count(), GovComplaint.objects.count()) == counts
