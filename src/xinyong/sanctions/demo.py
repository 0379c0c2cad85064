"""Demo 联合奖惩: officers check counterparts on the district's lists (a
tender's bidders, a licence applicant, a red-list taxpayer), give feedback,
and one case goes through review onto the portal. Idempotent: nothing is
added once the demo's checks exist."""

from django.core.management.base import OutputWrapper

from xinyong.core import clock
from xinyong.core.models import Tag
from xinyong.lists.selectors import entries_in_force
from xinyong.orgs.models import User
from xinyong.records.models import Record
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Case, Check
from xinyong.sanctions.services.cases import case_create, case_publish, case_retag, case_submit
from xinyong.sanctions.services.checks import check_run
from xinyong.sanctions.services.feedback import feedback_submit
from xinyong.subjects.models import Subject

DEMO_MATTER = "演示："
# The published case's tags (the credit office's choice) and the draft's proposal.
PUBLISHED_TAGS = ["失信惩戒", "招标投标"]
PROPOSED_TAGS = ["失信惩戒"]


def _tags(names: list[str]) -> list[Tag]:
    return [Tag.objects.get_or_create(name=name)[0] for name in names]


def _tag_published(admin: User) -> None:
    """Tags for the demo's published cases made before cases had tags."""
    untagged = Case.objects.filter(
        status=Case.Status.PUBLISHED,
        feedback__check_run__matter__startswith=DEMO_MATTER,
        tags__isnull=True,
    )
    for case in untagged:
        case_retag(actor=admin, case=case, tags=_tags(PUBLISHED_TAGS))


def _listed_subjects(item_code: str, limit: int) -> list[int]:
    """Subjects with a record of a feeding item in force (失信被执行人, A级纳税人)."""
    ids = list(
        Record.objects.filter(
            item__code=item_code, status=Record.Status.ACTIVE, subject__isnull=False
        )
        .exclude(subject__kind="person")
        .order_by("id")
        .values_list("subject_id", flat=True)[: limit * 5]
    )
    in_force = {e.subject_id for e in entries_in_force(subject_ids=ids)}
    return [i for i in dict.fromkeys(ids) if i in in_force][:limit]


def load(*, seed: int, stdout: OutputWrapper) -> None:
    if Check.objects.filter(matter__startswith=DEMO_MATTER).exists():
        admin = User.objects.filter(username="admin").first()
        if admin is not None:
            _tag_published(admin)
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["ggzy_officer", "scjg_officer", "admin"])
    }
    if len(users) < 3:
        return
    black = _listed_subjects("SXBZX", 3)
    red = _listed_subjects("NSXYA", 1)
    subjects = {s.pk: s for s in Subject.objects.filter(pk__in=black + red)}
    checks: list[Check] = []
    plan = [
        ("ggzy_officer", "ZBTB", "演示：林区旅游公路改造工程施工招标（SNJ-2026-ZB-012）", s)
        for s in black[:2]
    ] + [("scjg_officer", "XZXK", "演示：食品经营许可申请", s) for s in black[2:3]]
    plan += [("scjg_officer", "XZXK", "演示：食品经营许可申请（A级纳税人）", s) for s in red]
    for username, domain, matter, subject_id in plan:
        subject = subjects[subject_id]
        query = Query(uscc=subject.uscc) if subject.uscc else Query(name=subject.name)
        officer = users[username]
        outcome = check_run(
            actor=officer, department=officer.department, domain_code=domain, matter=matter,
            query=query, channel=Check.Channel.PAGE,
        )  # fmt: skip
        checks.append(outcome.check)
    officer = users["scjg_officer"]
    check_run(
        actor=officer,
        department=officer.department,
        domain_code="XZXK",
        matter="演示：个体工商户登记前核查",
        query=Query(name="神农架林区"),
        channel=Check.Channel.PAGE,
    )  # fmt: skip  (a fragment: hits nothing)
    feedbacks = []
    for check in checks[:2]:
        if check.officer is None or not check.hits or not check.hits[0]["measures"]:
            continue
        given = feedback_submit(
            actor=check.officer, check=check, applied=True,
            measure_id=check.hits[0]["measures"][0]["id"],
            result="取消其本次投标资格，由排名第二的投标人递补；该公司随后主动履行了判决义务",
            decided_on=check.created_at.astimezone(clock.SHANGHAI).date(),
        )  # fmt: skip
        feedbacks.append((check.officer, given))
    if feedbacks:
        (first_officer, first), (last_officer, last) = feedbacks[0], feedbacks[-1]
        case = case_create(actor=first_officer, feedback=first, tags=_tags(PROPOSED_TAGS))
        case = case_submit(actor=first_officer, case=case)
        case_publish(
            actor=users["admin"],
            case=case,
            note="事实清楚，措施有依据，予以发布",
            tags=_tags(PUBLISHED_TAGS),
        )
        case_create(actor=last_officer, feedback=last, tags=_tags(PROPOSED_TAGS))  # a draft
    stdout.write(
        f"联合奖惩：核查 {len(checks) + 1} 次，反馈 {len(feedbacks)} 条，发布案例 {1 if feedbacks else 0} 个"
    )
