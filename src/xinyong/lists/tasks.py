"""Background jobs of lists: the expiry of entries, as a periodic task.

"In force" is computed from the date (`ListEntryQuerySet.in_force`), so an
expired entry stops hitting checks and leaves the portal at midnight whether
or not this has run; the job records it (status 已到期, dated the day after
`valid_until`), writes the outbox rows and puts the removal in the change feed.
"""

import datetime as dt

from xinyong.core import clock
from xinyong.core.tasks import periodic, task
from xinyong.lists.services import list_entries_expire


@task()
def expire() -> int:
    """Mark expired the entries past their period, today; returns how many."""
    return list_entries_expire(clock.today())


periodic(expire, every=dt.timedelta(hours=1))
