"""Fixtures of the rights tests: a company's public record at `department`,
the credit office's staff."""

import pytest

from orgs.factories import CreditAdminFactory
from rights.factories import company, public_record


@pytest.fixture
def record(department, xzcf):
    return public_record(department=department, subject=company())


@pytest.fixture
def office_user(credit_office):
    return CreditAdminFactory(username="office", department=credit_office)
