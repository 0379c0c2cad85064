"""Fixtures of the rights tests: a company's public record at `department`,
the credit office's staff."""

import pytest

from orgs.factories import CreditAdminFactory
from rights.factories import company, public_record
from support.tasks import run_ready_tasks
from xinyong.rights.services.commitment_upload import commitment_upload_submit


@pytest.fixture
def record(department, xzcf):
    return public_record(department=department, subject=company())


@pytest.fixture
def office_user(credit_office):
    return CreditAdminFactory(username="office", department=credit_office)


@pytest.fixture
def process(django_capture_on_commit_callbacks):
    """A commitment upload: submit the file, then run the queued task as a worker would."""

    def run(*, actor, department, upload):
        with django_capture_on_commit_callbacks(execute=True):
            batch = commitment_upload_submit(actor=actor, department=department, upload=upload)
        with django_capture_on_commit_callbacks(execute=True):
            run_ready_tasks()
        batch.refresh_from_db()
        return batch

    return run
