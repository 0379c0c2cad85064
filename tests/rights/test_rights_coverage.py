"""The plan's figures on the credit office's home, on hand-computed fixtures:
blacklisted subjects with a repair commitment (target 30%), and repair
training coverage (target 100%)."""

import datetime as dt

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory, fed_record
from records.factories import PenaltyRecordFactory, builtin_item
from rights.commitments import repair_commitment
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.lists.models import ListEntry, ListType
from xinyong.rights.coverage import commitment_ratio, training_coverage
from xinyong.rights.models import TrainingEnrolment, TrainingSession
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def black(db):
    return ListTypeFactory(code="TESTBLACK", early_removal_after_months=12)


@pytest.fixture
def black_no_repair(db):
    return ListTypeFactory(code="TESTNOREP", early_removal_after_months=None)


def test_commitment_ratio_on_hand_computed_fixtures(department, black, black_no_repair):
    # Built-in lists fed by catalog items are counted too: start from none of them.
    ListType.objects.exclude(code__in=["TESTBLACK", "TESTNOREP"]).update(is_active=False)
    s1, s2, s3, s4, s5, s6, s7 = (SubjectFactory() for _ in range(7))
    ListEntryFactory(list_type=black, subject=s1)
    ListEntryFactory(list_type=black, subject=s2)
    ListEntryFactory(list_type=black_no_repair, subject=s3)
    red = ListTypeFactory(code="TESTRED", kind=ListType.Kind.RED)
    ListEntryFactory(list_type=red, subject=s5)
    ListEntryFactory(list_type=black, subject=s6, valid_until=clock.today() - dt.timedelta(days=1))
    ListEntryFactory(list_type=black, subject=s7, status=ListEntry.Status.REMOVED)
    repair_commitment(s1, department)
    repair_commitment(
        s2,
        department,
        status="breached",
        decided_on=clock.today(),
        facts="违诺",
        breach_record=PenaltyRecordFactory(subject=s2),
    )
    for s in (s5, s6, s7):  # signed, but not blacklisted today
        repair_commitment(s, department)
    ratio = commitment_ratio()
    # blacklisted: s1, s2, s3 → 3; with a repair commitment not breached: s1 → 1.
    assert (ratio.part, ratio.whole) == (1, 3)
    assert ratio.percent == "33.3%" and ratio.met is True
    # A subject on a list fed by a catalog item (失信被执行人) is blacklisted too.
    ListType.objects.filter(code="SXBZX").update(is_active=True)
    fed_record(subject=s4, department=department)
    ratio = commitment_ratio()
    assert (ratio.part, ratio.whole) == (1, 4) and ratio.met is False  # 25% < 30%
    # A commitment signed after the day counted is not counted that day.
    repair_commitment(s4, department, signed_on=clock.today())
    # Yesterday s6's entry was still in force (it ended then) and s4 had not signed:
    # blacklisted s1, s2, s3, s4, s6 → 5; signed s1, s6 → 2.
    yesterday = commitment_ratio(clock.today() - dt.timedelta(days=1))
    assert (yesterday.part, yesterday.whole) == (2, 5)
    assert (commitment_ratio().part, commitment_ratio().whole) == (2, 4)


def test_no_blacklisted_subject_means_no_ratio():
    ListType.objects.update(is_active=False)
    ratio = commitment_ratio()
    assert ratio.whole == 0 and ratio.value is None and ratio.met is None and ratio.percent == "—"


def _attend(subject, session, status=TrainingEnrolment.Status.ATTENDED):
    TrainingEnrolment.objects.create(
        session=session,
        subject=subject,
        participant="某某",
        channel="staff",
        status=status,
        certificate_number=f"T{subject.pk}" if status == "attended" else None,
        enrolled_at=clock.now(),
    )


def test_training_coverage_on_hand_computed_fixtures(department, black, black_no_repair):
    Subject.objects.all().delete()
    a, b, c, d, e, f = (SubjectFactory() for _ in range(6))
    # a: a negative record inside its window (repairable) → needs training.
    PenaltyRecordFactory(subject=a, department=department, published_on=clock.today())
    # b: a black entry whose list allows early removal → needs training.
    ListEntryFactory(list_type=black, subject=b)
    # c: a black entry that cannot be repaired → no repair, no training needed.
    ListEntryFactory(list_type=black_no_repair, subject=c)
    # d: a negative record past its window → nothing to repair.
    PenaltyRecordFactory(
        subject=d, department=department, disclosure_end=clock.today() - dt.timedelta(days=1)
    )
    # e: a record ended early (repaired already) → nothing to repair.
    PenaltyRecordFactory(subject=e, department=department, unpublish_reason="repaired")
    # f: a positive (licence) record only.
    PenaltyRecordFactory(
        subject=f,
        department=department,
        item=builtin_item("XZXK"),
        version=builtin_item("XZXK").current_version,
    )
    held = TrainingSession.objects.create(
        title="第一期",
        held_on=clock.today() - dt.timedelta(days=2),
        mode="onsite",
        place="会议室",
        capacity=50,
        organiser=department,
        created_at=clock.now(),
    )
    later = TrainingSession.objects.create(
        title="第二期",
        held_on=clock.today() + dt.timedelta(days=5),
        mode="online",
        place="线上",
        capacity=50,
        organiser=department,
        created_at=clock.now(),
    )
    _attend(a, held)
    _attend(c, held)  # attended without needing it: not in either count
    _attend(b, held, status=TrainingEnrolment.Status.ABSENT)
    cov = training_coverage()
    # needed: a, b → 2; attended among them: a → 1.
    assert (cov.part, cov.whole) == (1, 2) and cov.percent == "50.0%" and cov.met is False
    _attend(b, later, status=TrainingEnrolment.Status.ENROLLED)
    assert training_coverage().part == 1  # enrolled is not attended
    TrainingEnrolment.objects.filter(subject=b, session=held).update(
        status="attended", certificate_number="T-b"
    )
    cov = training_coverage()
    assert (cov.part, cov.whole) == (2, 2) and cov.percent == "100.0%" and cov.met is True


def test_the_panel_is_on_the_credit_offices_home_only(
    client_as, admin_user, clerk, department, black
):
    ListType.objects.exclude(code="TESTBLACK").update(is_active=False)
    s = SubjectFactory()
    ListEntryFactory(list_type=black, subject=s)
    ListEntryFactory(list_type=black)
    repair_commitment(s, department)
    html = client_as(admin_user).get("/staff/").content.decode()
    assert 'id="rights-plan"' in html
    assert "1 / 2（50.0%），目标 30%" in html
    assert "信用修复培训覆盖率" in html
    clerk_html = client_as(clerk).get("/staff/").content.decode()
    assert 'id="rights-plan"' not in clerk_html


def test_the_home_reads_the_days_ratios_once_for_ten_minutes(
    client_as, admin_user, department, black, django_assert_max_num_queries
):
    """At 10^6 records each ratio takes seconds (xinyong bench oversight): the home's panel
    and its district indicators share one computation a day, kept ten minutes."""
    from xinyong.rights.coverage import RATIO_CACHE_SECONDS, cached_ratio

    ListType.objects.exclude(code="TESTBLACK").update(is_active=False)
    s = SubjectFactory()
    ListEntryFactory(list_type=black, subject=s)
    ListEntryFactory(list_type=black)
    repair_commitment(s, department)
    first = cached_ratio("commitment_ratio")
    assert (first.part, first.whole) == (commitment_ratio().part, commitment_ratio().whole)
    ListEntryFactory(list_type=black)  # a new listing waits for the next computation
    with django_assert_max_num_queries(0):
        again = cached_ratio("commitment_ratio")
    assert (again.part, again.whole) == (1, 2) and RATIO_CACHE_SECONDS == 600
    html = client_as(admin_user).get("/staff/").content.decode()
    assert "1 / 2（50.0%），目标 30%" in html  # the panel
    assert "失信主体信用修复承诺率" in html and "（1/2）" in html  # the district row agrees
