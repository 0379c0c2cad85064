"""The demo shows checks, feedback and a published case (through the real services)."""

import pytest
from django.core.management import call_command

from xinyong.sanctions.models import Case, Check, Feedback

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_checks_feedback_and_a_published_case(client):
    call_command("demo", verbosity=0)
    assert Check.objects.filter(hit_count__gt=0).count() >= 2
    assert Check.objects.filter(hit_count=0).exists()
    assert Feedback.objects.exists()
    case = Case.objects.get(status=Case.Status.PUBLISHED)
    assert case.title in client.get("/education/cases/").content.decode()
    checks = Check.objects.count()
    call_command("demo", verbosity=0)  # idempotent
    assert Check.objects.count() == checks
