"""The demo shows lists: entries in every state, made by the real services."""

import io

import pytest

from subjects.factories import SubjectFactory
from xinyong.core.identifiers import uscc_with_checks
from xinyong.core.models import AuditLog
from xinyong.lists import demo
from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs import demo as orgs_demo

pytestmark = pytest.mark.django_db


def test_demo_walks_the_procedure_into_every_state(client):
    orgs_demo.load(seed=1, stdout=io.StringIO())
    for n in range(20):
        SubjectFactory(uscc=uscc_with_checks(f"91429021{n:08d}"))
    out = io.StringIO()
    demo.load(seed=1, stdout=out)
    states = set(ListEntry.objects.values_list("status", flat=True))
    assert states >= {
        "proposed",
        "notified",
        "objected",
        "decided",
        "removed",
        "withdrawn",
        "expired",
    }
    assert ListType.objects.get(code="TQNMGGZ").deciders.filter(short_code="renshe").exists()
    assert AuditLog.objects.filter(action="list_entry.decide").count() >= 8
    demo.load(seed=1, stdout=io.StringIO())  # idempotent
    assert "已存在" in out.getvalue() or ListEntry.objects.count() == len(demo.PLANS)
    page = client.get("/lists/SCJGYZWF/").content.decode()
    decided = ListEntry.objects.filter(list_type__code="SCJGYZWF", status="decided").first()
    assert decided.subject.name in page
