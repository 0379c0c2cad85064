"""专项治理: the target's 承诺/整改/退出 steps and their refusals (each audited),
the 整改率 and 退出率 on a hand-computed fixture (page, monthly figures),
department access, and the upload's row errors."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from xinyong.core import clock
from xinyong.core.errors import ApplicationError
from xinyong.core.identifiers import uscc_with_checks
from xinyong.core.identifiers.resident_id import resident_id_with_check
from xinyong.core.models import AuditLog
from xinyong.oversight.campaigns.selectors import campaign_rates
from xinyong.oversight.campaigns.services import (
    campaign_create,
    campaign_target_add,
    target_commitment_set,
    target_exit,
    target_rectify,
)
from xinyong.oversight.models import Campaign, CampaignTarget
from xinyong.oversight.periods import Month
from xinyong.oversight.scoring import compute_month
from xinyong.rights.models import Commitment
from xinyong.rights.services.commitments import commitment_text_for

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def code(n: int) -> str:
    return uscc_with_checks(f"91429000{n:08d}")


@pytest.fixture
def campaign(department, admin_user, pin_today):
    pin_today(D("2025-09-01"))
    return campaign_create(
        actor=admin_user,
        name="拖欠工资专项治理",
        basis="根治欠薪冬季攻坚行动通知",
        lead_department=department,
        starts_on=D("2025-09-01"),
        ends_on=D("2025-12-31"),
    )


def add(campaign, user, n, on):
    with clock.pinned(D(on)):
        return campaign_target_add(actor=user, campaign=campaign, name=f"示范企业{n}", code=code(n))


def test_steps_forward_each_audited(campaign, clerk, pin_today):
    t = add(campaign, clerk, 1, "2025-09-02")
    pin_today(D("2025-10-20"))
    target_rectify(actor=clerk, target=t, status="in_progress", on=D("2025-10-01"), note="")
    target_rectify(actor=clerk, target=t, status="done", on=D("2025-10-10"), note="已结清欠薪")
    target_exit(actor=clerk, target=t, on=D("2025-10-15"))
    t.refresh_from_db()
    assert (t.rectification, t.rectification_on, t.exit, t.exited_on) == (
        "done",
        D("2025-10-10"),
        "exited",
        D("2025-10-15"),
    )
    actions = list(
        AuditLog.objects.filter(action__startswith="campaign.").values_list("action", flat=True)
    )
    assert actions.count("campaign.target_rectify") == 2
    assert "campaign.target_exit" in actions and "campaign.target_add" in actions


@pytest.mark.parametrize(
    ("steps", "attempt", "code_"),
    [
        ([], ("exit", "2025-10-10"), "not_rectified"),
        ([("in_progress", "2025-10-01")], ("exit", "2025-10-10"), "not_rectified"),
        ([("done", "2025-10-01")], ("in_progress", "2025-10-05"), "invalid_transition"),
        ([("in_progress", "2025-10-05")], ("done", "2025-10-01"), "before_previous"),
        ([], ("done", "2025-08-01"), "before_campaign"),
        ([], ("done", "2025-12-01"), "future_date"),
        ([], ("bogus", "2025-10-01"), "invalid_status"),
        ([("done", "2025-10-05")], ("exit", "2025-10-01"), "before_rectified"),
    ],
)
def test_refused_steps_change_nothing(campaign, clerk, pin_today, steps, attempt, code_):
    t = add(campaign, clerk, 1, "2025-09-02")
    pin_today(D("2025-10-20"))
    for status, on in steps:
        target_rectify(actor=clerk, target=t, status=status, on=D(on), note="说明")
    before = CampaignTarget.objects.filter(pk=t.pk).values().get()
    logged = AuditLog.objects.count()
    with pytest.raises(ApplicationError) as exc:
        if attempt[0] == "exit":
            target_exit(actor=clerk, target=t, on=D(attempt[1]))
        else:
            target_rectify(actor=clerk, target=t, status=attempt[0], on=D(attempt[1]), note="说明")
    assert exc.value.code == code_
    assert "整改" in exc.value.message or "退出" in exc.value.message or "日期" in exc.value.message
    assert CampaignTarget.objects.filter(pk=t.pk).values().get() == before
    assert AuditLog.objects.count() == logged


def test_done_needs_a_note_and_exit_only_once(campaign, clerk, pin_today):
    t = add(campaign, clerk, 1, "2025-09-02")
    pin_today(D("2025-10-20"))
    with pytest.raises(ApplicationError, match="整改说明"):
        target_rectify(actor=clerk, target=t, status="done", on=D("2025-10-01"), note=" ")
    target_rectify(actor=clerk, target=t, status="done", on=D("2025-10-01"), note="已整改")
    target_exit(actor=clerk, target=t, on=D("2025-10-02"))
    with pytest.raises(ApplicationError) as exc:
        target_exit(actor=clerk, target=t, on=D("2025-10-03"))
    assert exc.value.code == "already_exited" and exc.value.status == 409


def test_commitment_links_the_signed_one(campaign, clerk, department, pin_today):
    t = add(campaign, clerk, 1, "2025-09-02")
    assert (t.committed, t.commitment) == (False, None)
    pin_today(D("2025-09-10"))
    signed = Commitment.objects.create(
        number="CNTCAMPAIGN1",
        type="voluntary",
        text_id=commitment_text_for("voluntary", clock.today()).pk,
        text_body="…",
        subject=t.subject,
        department=department,
        signer_kind="legal",
        signer_name=t.name,
        signer_code_masked=t.code_kept,
        phone="13800000000",
        channel="api",
        signed_on=clock.today(),
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    t = target_commitment_set(actor=clerk, target=t, committed=True)
    assert (t.committed, t.commitment_id) == (True, signed.pk)
    # A subject listed after it signed is linked at once.
    again = campaign_create(
        actor=clerk,
        name="另一专项",
        basis="依据",
        lead_department=department,
        starts_on=D("2025-09-01"),
        ends_on=D("2025-09-30"),
    )
    other = campaign_target_add(actor=clerk, campaign=again, name=t.name, code=t.code_kept)
    assert other.commitment_id == signed.pk and other.committed
    t = target_commitment_set(actor=clerk, target=t, committed=False)
    assert (t.committed, t.commitment_id) == (False, None)


def test_a_person_is_kept_masked_and_listed_once(campaign, clerk):
    number = resident_id_with_check("42902119800101123")
    with clock.pinned(D("2025-09-02")):
        t = campaign_target_add(actor=clerk, campaign=campaign, name="张三丰", code=number)
        assert t.subject.kind == "person" and number not in t.code_kept and "*" in t.code_kept
        with pytest.raises(ApplicationError, match="已是本专项的治理对象"):
            campaign_target_add(actor=clerk, campaign=campaign, name="张三丰", code=number)
        with pytest.raises(ApplicationError, match="不是有效的"):
            campaign_target_add(actor=clerk, campaign=campaign, name="某", code="12345")


@pytest.fixture
def rated(campaign, clerk, pin_today):
    """Hand-computed: five targets, four listed 09-02 and one 11-03.

    | target | 整改 | 退出 |
    |---|---|---|
    | 1 | 已整改 09-20 | 已退出 10-05 |
    | 2 | 已整改 10-10 | — |
    | 3 | 整改中 10-15 | — |
    | 4 | 未整改 | — |
    | 5 (listed 11-03) | 未整改 | — |

    End of September: 4 targets, rectified 1 (25%), exited 0 (0%).
    End of October: 4 targets, rectified 2 (50%), exited 1 (25%).
    Now (11-10): 5 targets, rectified 2 (40%), exited 1 (20%).
    """
    t1, t2, t3, _t4 = (add(campaign, clerk, n, "2025-09-02") for n in range(1, 5))
    add(campaign, clerk, 5, "2025-11-03")
    pin_today(D("2025-11-10"))
    target_rectify(actor=clerk, target=t1, status="done", on=D("2025-09-20"), note="整改完毕")
    target_exit(actor=clerk, target=t1, on=D("2025-10-05"))
    target_rectify(actor=clerk, target=t2, status="done", on=D("2025-10-10"), note="整改完毕")
    target_rectify(actor=clerk, target=t3, status="in_progress", on=D("2025-10-15"), note="")
    return campaign


def test_rates_on_the_hand_computed_fixture(rated, department):
    now = campaign_rates(rated)
    assert (now.targets, now.rectified, now.exited, now.rectifying) == (5, 2, 1, 1)
    assert (now.rectification_rate, now.exit_rate) == (0.4, 0.2)
    assert (now.rectification_gap, now.exit_gap) == (3, 4)
    october = campaign_rates(rated, on=D("2025-10-31"))
    assert (october.rectification_rate, october.exit_rate) == (0.5, 0.25)
    for month, rect, ex in (("2025-09", (1, 4), (0, 4)), ("2025-10", (2, 4), (1, 4))):
        (fig,) = [f for f in compute_month(Month.parse(month)) if f.department_id == department.pk]
        assert tuple(fig.tally("campaign_rectified")) == rect
        assert tuple(fig.tally("campaign_exited")) == ex


def test_staff_page_shows_the_rates(rated, clerk, client_as):
    page = client_as(clerk).get(f"/staff/oversight/campaigns/{rated.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "40.0%" in text and "20.0%" in text and "拖欠工资专项治理" in text
    listing = client_as(clerk).get("/staff/oversight/campaigns/").content.decode()
    assert "拖欠工资专项治理" in listing


def test_other_departments_get_404(campaign, clerk, other_clerk, client_as, pin_today):
    t = add(campaign, clerk, 1, "2025-09-02")
    pin_today(D("2025-10-20"))
    with pytest.raises(ApplicationError) as exc:
        target_rectify(actor=other_clerk, target=t, status="done", on=D("2025-10-01"), note="x")
    assert exc.value.status == 404
    with pytest.raises(ApplicationError) as exc:
        campaign_target_add(actor=other_clerk, campaign=campaign, name="某公司", code=code(9))
    assert exc.value.status == 404
    c = client_as(other_clerk)
    assert c.get(f"/staff/oversight/campaigns/{campaign.pk}/").status_code == 404
    posted = c.post(
        f"/staff/oversight/campaigns/{campaign.pk}/targets/{t.pk}/rectify/",
        {"status": "done", "on": "2025-10-01", "note": "x"},
    )
    assert posted.status_code == 404
    assert "拖欠工资专项治理" not in c.get("/staff/oversight/campaigns/").content.decode()
    t.refresh_from_db()
    assert t.rectification == "none"


def test_lead_department_changes_through_the_page(campaign, clerk, client_as, pin_today):
    t = add(campaign, clerk, 1, "2025-09-02")
    pin_today(D("2025-10-20"))
    c = client_as(clerk)
    url = f"/staff/oversight/campaigns/{campaign.pk}/targets/{t.pk}/"
    refused = c.post(url + "exit/", {"on": "2025-10-01"})
    assert refused.status_code == 409 and "尚未完成整改" in refused.content.decode()
    done = c.post(url + "rectify/", {"status": "done", "on": "2025-10-01", "note": "已整改"})
    assert done.status_code == 302
    assert c.post(url + "exit/", {"on": "2025-10-02"}).status_code == 302
    t.refresh_from_db()
    assert t.exit == "exited"


def _upload(client, campaign, name, data):
    f = io.BytesIO(data)
    f.name = name
    return client.post(f"/staff/oversight/campaigns/{campaign.pk}/upload/", {"file": f})


def test_upload_names_each_bad_row_and_adds_nothing(campaign, clerk, client_as):
    csv = (
        "主体名称,证件号码\n"
        f"好公司,{code(1)}\n"
        "坏号码公司,91429000ABC\n"
        f",{code(2)}\n"
        f"重复公司,{code(1)}\n"
    ).encode()
    page = _upload(client_as(clerk), campaign, "targets.csv", csv)
    assert page.status_code == 400
    errors = [(e["row"], e["column"]) for e in page.context["row_errors"]]
    assert errors == [(3, "证件号码"), (4, "主体名称"), (5, "证件号码")]
    text = page.content.decode()
    assert "不是有效的统一社会信用代码" in text and "主体名称不能为空" in text
    assert "与第 2 行重复" in text
    assert not CampaignTarget.objects.exists()
    missing = _upload(client_as(clerk), campaign, "x.csv", "名称,号码\n甲,1\n".encode())
    assert missing.status_code == 400 and "表头缺少必需的列" in missing.content.decode()


def test_upload_xlsx_adds_targets_and_refuses_those_listed(campaign, clerk, client_as):
    book = Workbook()
    sheet = book.active
    sheet.append(["证件号码", "主体名称"])
    sheet.append([code(1), "甲公司"])
    sheet.append([code(2), "乙公司"])
    data = io.BytesIO()
    book.save(data)
    c = client_as(clerk)
    assert _upload(c, campaign, "t.xlsx", data.getvalue()).status_code == 302
    assert sorted(CampaignTarget.objects.values_list("name", flat=True)) == ["乙公司", "甲公司"]
    again = _upload(c, campaign, "t.xlsx", data.getvalue())
    assert again.status_code == 400
    assert [(e["row"], e["column"]) for e in again.context["row_errors"]] == [(2, "证件号码")]
    assert CampaignTarget.objects.count() == 2


def test_create_through_the_page_for_own_department_only(
    department, other_department, clerk, admin_user, client_as
):
    c = client_as(clerk)
    form = {
        "name": "电信诈骗专项治理",
        "basis": "打击治理电信网络诈骗",
        "starts_on": "2025-09-01",
        "ends_on": "2025-12-31",
    }
    refused = c.post("/staff/oversight/campaigns/", {**form, "lead_department": "shuiwu"})
    assert refused.status_code == 400 and "未找到该部门" in refused.content.decode()
    backwards = c.post(
        "/staff/oversight/campaigns/",
        {**form, "lead_department": "scjg", "ends_on": "2025-08-01"},
    )
    assert backwards.status_code == 400 and "结束日期不能早于开始日期" in backwards.content.decode()
    assert not Campaign.objects.exists()
    made = c.post("/staff/oversight/campaigns/", {**form, "lead_department": "scjg"})
    assert made.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.lead_department == department and campaign.created_by == clerk
    assert AuditLog.objects.filter(action="campaign.create").count() == 1
    # The credit office sees and edits every department's campaigns.
    office = client_as(admin_user)
    assert "电信诈骗专项治理" in office.get("/staff/oversight/campaigns/").content.decode()
    assert office.get(f"/staff/oversight/campaigns/{campaign.pk}/").status_code == 200


def test_staff_home_shows_running_campaigns_to_their_departments(
    rated, clerk, other_clerk, client_as
):
    home = client_as(clerk).get("/staff/").content.decode()
    assert "拖欠工资专项治理" in home and "整改率 40.0%" in home and "3 个对象待整改" in home
    assert "拖欠工资专项治理" not in client_as(other_clerk).get("/staff/").content.decode()
