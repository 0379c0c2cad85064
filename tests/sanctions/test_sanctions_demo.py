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
    # Tagged by the credit office; a news article shares the tag (./dev run shows the path).
    tag = case.tags.get(name="失信惩戒")
    on_tag = client.get(f"/tags/{tag.pk}/").content.decode()
    assert case.title in on_tag and "林区召开社会信用体系建设工作推进会" in on_tag
    draft = Case.objects.get(status=Case.Status.DRAFT)
    assert f'id="case-{draft.pk}"' not in on_tag and f'id="case-{case.pk}"' in on_tag
    checks = Check.objects.count()
    call_command("demo", verbosity=0)  # idempotent
    assert Check.objects.count() == checks
