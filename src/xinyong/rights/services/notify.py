"""Who is told of each step of an objection (issue 14 §8), through
`orgs.notices.notice_send` (inside the step's transaction; mail after commit):

- routed: the providing department, which must verify;
- verified: the credit office, which must reply;
- accepted, more material asked, refused, closed: the applicant, by email,
  if the applicant left an address (a copy stays with the credit office).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.orgs.notices import notice_send
from xinyong.rights.models import Objection


def _staff_link(objection: Objection) -> str:
    return reverse("rights:objection_detail", args=[objection.pk])


def tell_department_routed(objection: Objection) -> None:
    notice_send(
        department=objection.department,
        title=_("异议 %(number)s 已转交本部门核查") % {"number": objection.number},
        body=_("请于 %(due)s 前作出核查结论（更正、维持或撤销）。")
        % {"due": objection.verify_due.isoformat() if objection.verify_due else ""},
        link=_staff_link(objection),
    )


def tell_office_verified(objection: Objection) -> None:
    notice_send(
        department=None,
        title=_("异议 %(number)s 已核查：%(outcome)s")
        % {"number": objection.number, "outcome": objection.get_status_display()},
        body=_("提供部门：%(dept)s。请于 %(due)s 前答复申请人并办结。")
        % {"dept": objection.department, "due": objection.reply_due.isoformat()},
        link=_staff_link(objection),
    )


def tell_applicant(objection: Objection) -> None:
    """The applicant's email, if one was left: the step and where to read more
    (the status page asks for the number and the secret)."""
    if not objection.applicant_email:
        return
    status = objection.get_status_display()
    notice_send(
        department=None,
        title=_("您的异议申请 %(number)s：%(status)s")
        % {"number": objection.number, "status": status},
        body=_(
            "您提交的异议申请（受理编号 %(number)s）当前状态为“%(status)s”。"
            "请凭受理编号和查询密码在信用神农架网站查看办理进度和答复。"
        )
        % {"number": objection.number, "status": status},
        link=reverse("portal:application_status") + f"?number={objection.number}",
        email_to=objection.applicant_email,
    )
