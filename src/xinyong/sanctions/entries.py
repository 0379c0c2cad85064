"""What `sanctions` reads of `lists` beyond `lists.selectors.entries_in_force`."""

from xinyong.lists.models import ListEntry, ListType
from xinyong.records.models import Record

# Entries that were listed (a decision was taken), whatever happened since.
_LISTED = (ListEntry.Status.DECIDED, ListEntry.Status.REMOVED, ListEntry.Status.EXPIRED)


def list_entries_in_year(year: int) -> int:
    """The number of list entries of `year`, the base of the plan's 10% quota:
    entries decided here and listed that year, plus records of the feeding
    catalog items (失信被执行人, A级纳税人) decided that year. Two statements."""
    decided = ListEntry.objects.filter(status__in=_LISTED, listed_on__year=year).count()
    fed = Record.objects.filter(
        item__list_types__source=ListType.Source.CATALOG_ITEM,
        item__list_types__is_active=True,
        decision_date__year=year,
    ).exclude(status=Record.Status.WITHDRAWN, withdrawn_kind__in=["revoked", "invalid", "illegal"])
    return decided + fed.count()
