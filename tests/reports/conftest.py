"""Fixtures of the reports tests: the platform's signing key and the private file store
are the test's own; a company with records in force, a repaired one and listings."""

import base64
import datetime as dt
import secrets

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory
from records.factories import PenaltyRecordFactory
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.lists.models import ListEntry, ListType
from xinyong.records.models import Record


@pytest.fixture(autouse=True)
def signing_key(monkeypatch, settings, tmp_path):
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    monkeypatch.setenv("XINYONG_SIGNING_KEY", key)
    settings.XINYONG_PRIVATE_ROOT = tmp_path / "private"
    return key


@pytest.fixture
def company(db, department):
    """A company with a public penalty, a repaired (no longer public) one, a black listing
    in force, a listing removed by repair and a red listing."""
    subject = SubjectFactory(name="神农架林区某某建材有限公司", uscc="91110000600037341L")
    today = clock.today()
    PenaltyRecordFactory(
        subject=subject,
        department=department,
        doc_number="神市监罚〔2026〕11号",
        published_on=today - dt.timedelta(days=2),
        disclosure_end=today + dt.timedelta(days=300),
    )
    PenaltyRecordFactory(
        subject=subject,
        department=department,
        doc_number="神市监罚〔2024〕7号",
        decided=today - dt.timedelta(days=700),
        published_on=today - dt.timedelta(days=690),
        disclosure_end=today - dt.timedelta(days=10),
        unpublish_reason=Record.UnpublishReason.EXPIRED,
        unpublished_on=today - dt.timedelta(days=9),
    )
    black = ListTypeFactory(code="TESTBL", name="测试严重失信名单", deciders=[department])
    ListEntryFactory(list_type=black, subject=subject, decided_by=department)
    removed_type = ListTypeFactory(code="TESTRM", name="测试已移出名单", deciders=[department])
    ListEntryFactory(
        list_type=removed_type,
        subject=subject,
        decided_by=department,
        status=ListEntry.Status.REMOVED,
        ended_on=today - dt.timedelta(days=5),
        end_reason="信用修复",
    )
    red = ListTypeFactory(
        code="TESTRED", name="测试守合同重信用企业", kind=ListType.Kind.RED, deciders=[department]
    )
    ListEntryFactory(list_type=red, subject=subject, decided_by=department)
    return subject


# -- credit service agencies ------------------------------------------------------------


def a_uscc(first16: str = "91429021MA49A000") -> str:
    """A valid USCC (check characters computed) from its first 16 characters."""
    from xinyong.core.identifiers.uscc import uscc_with_checks

    return uscc_with_checks(first16)


PDF = b"%PDF-1.4\n% a credit report\n%%EOF\n"


@pytest.fixture
def agency(admin_user):
    """A filed agency registered by the credit office."""
    from xinyong.reports import services

    return services.agency_register(
        actor=admin_user,
        name="神农架诚信信用服务有限公司",
        uscc=a_uscc(),
        address="神农架林区松柏镇",
        services=["report", "rating"],
        contact_phone="0719-3331234",
    )


@pytest.fixture
def agency_user(agency):
    from orgs.factories import ClerkFactory

    return ClerkFactory(username="xyfw_clerk", department=agency.department)


@pytest.fixture
def agency_token(agency):
    from orgs.factories import ApiTokenFactory

    return ApiTokenFactory(department=agency.department)


@pytest.fixture
def other_agency(admin_user):
    from xinyong.reports import services

    return services.agency_register(
        actor=admin_user, name="湖北楚信信用评级有限公司", uscc=a_uscc("91420100MA49B000")
    )
