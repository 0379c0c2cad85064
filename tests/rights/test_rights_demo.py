"""The demo shows commitments (published ones on the portal, a breach with its
record) and a training session with attendance (through the real services)."""

import pytest
from django.core.management import call_command

from xinyong.rights.models import Commitment, CommitmentText, TrainingEnrolment, TrainingSession

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_commitments_breach_and_training(client):
    call_command("demo", verbosity=0)
    breached = Commitment.objects.get(status=Commitment.Status.BREACHED)
    assert breached.breach_record.item.code == "WBXYCN"
    assert Commitment.objects.filter(status=Commitment.Status.FULFILLED).exists()
    assert Commitment.objects.filter(type="repair").exists()
    published = Commitment.objects.filter(is_published=True).first()
    assert published.number in client.get("/commitments/").content.decode()
    assert TrainingSession.objects.count() == 2
    assert TrainingEnrolment.objects.filter(status="attended").exists()
    count = Commitment.objects.count()
    call_command("demo", verbosity=0)  # idempotent
    assert Commitment.objects.count() == count


def test_default_texts_come_back_after_a_flush():
    # The flush of the transactional test above empties every table.
    assert CommitmentText.objects.filter(version=1).count() == 5
