"""The staff home's panels of 联合奖惩 (see `orgs.home`): the feedback due and
the plan's case quotas."""

from xinyong.orgs.home import Panel
from xinyong.orgs.http import StaffRequest
from xinyong.sanctions import selectors


def panels(request: StaffRequest) -> list[Panel]:
    user = request.user
    department_ids = None if user.is_credit_office else [user.department_id or 0]
    return [
        Panel(
            "sanctions/_home_feedback.html",
            {
                "overdue": selectors.feedback_overdue_count(user),
                "pending": selectors.feedback_pending_for(user).count(),
            },
            order=20,
        ),
        Panel(
            "sanctions/_quotas.html",
            {"quotas": selectors.quotas(department_ids=department_ids)},
            order=30,
        ),
    ]
