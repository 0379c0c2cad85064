"""An accepted objection against a record suspends the publication of the
list entries resting on it where the list type's rules say so, and the
entries are published again when the objection is resolved; checks still
match them meanwhile."""

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory
from rights.factories import file_objection
from xinyong.core.models import AuditLog, OutboxMessage
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import entries_in_force
from xinyong.rights import services

LISTS_FEED = "/api/v1/public/lists/changes"
SINCE = "2020-01-01T00:00:00+08:00"


@pytest.fixture
def entries(record, other_department):
    suspending = ListEntryFactory(
        list_type=ListTypeFactory(code="SUSP", suspend_on_objection=True),
        subject=record.subject,
        decided_by=other_department,
    )
    plain = ListEntryFactory(
        list_type=ListTypeFactory(code="PLAIN"), subject=record.subject, decided_by=other_department
    )
    for entry in (suspending, plain):
        entry.evidence.add(record)
    return suspending, plain


def _shown(client, code):
    return "神农架林区某某建材有限公司" in client.get(f"/lists/{code}/").content.decode()


def _feed_last(client, entry):
    changes = client.get(LISTS_FEED, {"since": SINCE}).json()["changes"]
    return [c for c in changes if c["entry_id"] == entry.pk][-1]


def test_suspended_while_open_and_restored_when_resolved(
    record, entries, office_user, clerk, client
):
    suspending, plain = entries
    assert _shown(client, "SUSP") and _shown(client, "PLAIN")
    o = file_objection(record).objection
    assert _shown(client, "SUSP")  # filed, not yet accepted
    services.objection_accept(actor=office_user, objection=o)
    suspending.refresh_from_db()
    assert suspending.publication_suspended
    assert not _shown(client, "SUSP") and _shown(client, "PLAIN")
    last = _feed_last(client, suspending)
    assert (last["change"], last["reason"]) == ("removed", "suspended")
    # Checks still match it: only the publication is suspended.
    in_force = {e.entry_id for e in entries_in_force(subject_ids=[record.subject_id], on=None)}
    assert suspending.pk in in_force
    assert OutboxMessage.objects.filter(topic="lists.entry", payload__event="suspended").exists()

    services.objection_route(actor=office_user, objection=o)
    services.objection_verify(actor=clerk, objection=o, outcome="upheld", note="记录无误")
    services.objection_close(actor=office_user, objection=o, reply="维持")
    suspending.refresh_from_db()
    assert not suspending.publication_suspended
    assert _shown(client, "SUSP")
    assert _feed_last(client, suspending)["change"] == "listed"
    actions = set(
        AuditLog.objects.filter(object_type="lists.ListEntry").values_list("action", flat=True)
    )
    assert {"list_entry.suspend", "list_entry.resume"} <= actions
    plain.refresh_from_db()
    assert not plain.publication_suspended and plain.status == ListEntry.Status.DECIDED


def test_checks_see_the_objection_on_every_entry_resting_on_the_record(
    record, entries, office_user, clerk
):
    o = file_objection(record).objection
    services.objection_accept(actor=office_user, objection=o)
    for entry in entries:
        entry.refresh_from_db()
        assert entry.challenge == "objection"
    services.objection_route(actor=office_user, objection=o)
    services.objection_verify(actor=clerk, objection=o, outcome="upheld", note="记录无误")
    services.objection_close(actor=office_user, objection=o, reply="维持")
    for entry in entries:
        entry.refresh_from_db()
        assert entry.challenge == ""
