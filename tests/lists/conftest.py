"""Fixtures of the lists tests: a list type decided by `department`, a subject."""

import pytest

from lists.factories import ListTypeFactory
from subjects.factories import SubjectFactory


@pytest.fixture
def list_type(department):
    return ListTypeFactory(code="TESTBL", deciders=[department])


@pytest.fixture
def subject(db):
    return SubjectFactory(name="神农架林区某某建材有限公司", uscc="91110000600037341L")
