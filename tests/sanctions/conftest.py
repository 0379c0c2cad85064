"""Fixtures of the sanctions tests: a company and a person on lists."""

import pytest

from lists.factories import ListEntryFactory, fed_record
from sanctions.factories import COMPANY_USCC, PERSON_ID
from subjects.factories import SubjectFactory
from xinyong.core.masking import mask_id_number
from xinyong.lists.models import ListType
from xinyong.sanctions.reference import forget
from xinyong.subjects.hashing import id_digest


@pytest.fixture
def company(db):
    return SubjectFactory(name="神农架林区某某建材有限责任公司", uscc=COMPANY_USCC)


@pytest.fixture
def company_on_sxbzx(company, other_department):
    """The company on 失信被执行人, fed by the court's SXBZX record."""
    return fed_record(subject=company, department=other_department)


@pytest.fixture
def wages_entry(company, other_department):
    """The company on 拖欠农民工工资失信联合惩戒对象名单 (decided here)."""
    return ListEntryFactory(
        list_type=ListType.objects.get(code="TQNMGGZ"), subject=company, decided_by=other_department
    )


@pytest.fixture
def person(db):
    return SubjectFactory(
        kind="person",
        name="张三",
        uscc=None,
        id_digest=id_digest(PERSON_ID),
        id_masked=mask_id_number(PERSON_ID),
    )


@pytest.fixture(autouse=True)
def fresh_reference():
    """The per-process reference data (domains, measures) read anew in each test."""
    forget()
    yield
    forget()
