"""Platform use per department and month, counted from the audit log's
declared actions (`core.audit`): what each department's staff and API
tokens did, by action. The 通报 shows it beside the indicators, so a
department that never opened the platform in a month is seen as such."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from xinyong.core.audit import action_label, declared_actions
from xinyong.core.models import AuditLog
from xinyong.orgs.models import ApiToken
from xinyong.oversight.periods import Month


@dataclass
class Activity:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def top(self, n: int = 3) -> list[tuple[str, int]]:
        """The `n` most frequent actions as (Chinese label, count)."""
        return [(action_label(name), count) for name, count in self.counts.most_common(n)]


def department_activity(month: Month, department_ids: list[int]) -> dict[int, Activity]:
    """{department id: its declared actions in the month}, every department
    of `department_ids` present (an idle one with nothing counted).

    SQL intent: two GROUP BY over the month's audit rows (`at` is indexed):
    rows of a user, by the user's department; rows of an API token (no user),
    by the token, whose department is looked up after."""
    start, end = month.aware_bounds()
    declared = set(declared_actions())
    rows = AuditLog.objects.filter(at__gte=start, at__lt=end, action__in=declared)
    found = {pk: Activity() for pk in department_ids}
    by_user = (
        rows.filter(actor__department_id__in=department_ids)
        .values_list("actor__department_id", "action")
        .annotate(n=Count("id"))
    )
    for department_id, action, n in by_user:
        found[department_id].counts[action] += n
    by_token = list(
        rows.filter(actor__isnull=True, actor_token_id__isnull=False)
        .values_list("actor_token_id", "action")
        .annotate(n=Count("id"))
    )
    owners = dict(
        ApiToken.objects.filter(
            pk__in={token for token, _a, _n in by_token}, department_id__in=department_ids
        ).values_list("pk", "department_id")
    )
    for token, action, n in by_token:
        if token in owners:
            found[owners[token]].counts[action] += n
    return found
