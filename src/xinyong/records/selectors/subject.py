"""A subject's public page: who it is and its public records, grouped by item."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from xinyong.core.errors import NotFoundError
from xinyong.records.models import Record
from xinyong.records.selectors.public import KINDS, Kind, PublicRecord, public_view
from xinyong.subjects.models import Subject, SubjectIdentifier

# Records shown per group; the 双公示 list (filtered by subject) shows the rest.
SUBJECT_PAGE_RECORDS = 50
# Records read for one page at most, whatever a subject holds.
SUBJECT_PAGE_READ_MAX = 1000

# What a subject page reads of a record: `public_view` without its fields.
_RECORD_COLUMNS = (
    "item__code",
    "item__name",
    "version",
    "department__short_code",
    "department__name",
    "subject",
    "doc_number",
    "decision_date",
    "data",
    "disclosure_end",
    "disputed",
    "updated_at",
)


@dataclass(slots=True)
class SubjectRecords:
    kind: Kind | None
    label: str
    records: list[PublicRecord]
    more: bool  # more than SUBJECT_PAGE_RECORDS


@dataclass(slots=True)
class SubjectPage:
    subject: Subject
    identifiers: list[SubjectIdentifier]
    groups: list[SubjectRecords]
    per_group: int  # records shown per group at most


def subject_page(pk: int) -> SubjectPage:
    """A subject's public page: organisations and individual businesses only
    (a natural person has none). Two queries whatever the subject holds: the
    subject with its identifiers (one LEFT JOIN), then its public records,
    newest first, each group at most SUBJECT_PAGE_RECORDS, with only the
    columns the page shows. The 双公示 groups come first, even when empty."""
    rows = list(
        Subject.objects.filter(pk=pk)
        .exclude(kind=Subject.Kind.PERSON)
        .values_list("kind", "name", "uscc", "identifiers__kind", "identifiers__value")
        .order_by("identifiers__kind", "identifiers__value")
    )
    if not rows:
        raise NotFoundError("not_found", _("未找到该信用主体"))
    kind, name, uscc = rows[0][:3]
    subject = Subject(pk=pk, kind=kind, name=name, uscc=uscc)
    identifiers = [
        SubjectIdentifier(subject=subject, kind=id_kind, value=value)
        for *_subject, id_kind, value in rows
        if id_kind is not None
    ]
    groups = {
        k.item_code: SubjectRecords(kind=k, label=str(k.label), records=[], more=False)
        for k in KINDS.values()
    }
    records = (
        Record.objects.publicly_visible()
        .filter(subject_id=pk)
        .select_related("item", "department")
        .only(*_RECORD_COLUMNS)
        .order_by("-decision_date", "-id")[:SUBJECT_PAGE_READ_MAX]
    )
    for record in records:
        record.subject = subject
        group = groups.get(record.item.code)
        if group is None:
            group = groups[record.item.code] = SubjectRecords(
                kind=None, label=record.item.name, records=[], more=False
            )
        if len(group.records) >= SUBJECT_PAGE_RECORDS:
            group.more = True
            continue
        group.records.append(public_view(record))
    return SubjectPage(
        subject=subject,
        identifiers=identifiers,
        groups=list(groups.values()),
        per_group=SUBJECT_PAGE_RECORDS,
    )
