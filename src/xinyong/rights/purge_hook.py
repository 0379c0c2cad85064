"""What rights holds about a record the purge deletes (遗忘, `records.purge`):
its objections. A record with an open objection waits; the objections of a
purged record go with it, their encrypted attachments removed after the commit."""

from django.db import transaction

from xinyong.rights.attachments import storage_dir
from xinyong.rights.models import Objection, ObjectionAttachment


class ObjectionPurgeHook:
    def keep(self, record_ids: list[int]) -> set[int]:
        return set(
            Objection.objects.filter(record_id__in=record_ids)
            .exclude(status__in=Objection.FINAL)
            .values_list("record_id", flat=True)
        )

    def forget(self, record_ids: list[int]) -> None:
        names = list(
            ObjectionAttachment.objects.filter(objection__record_id__in=record_ids).values_list(
                "stored_name", flat=True
            )
        )
        Objection.objects.filter(record_id__in=record_ids).delete()

        def unlink() -> None:
            for name in names:
                (storage_dir() / name).unlink(missing_ok=True)

        transaction.on_commit(unlink)


HOOK = ObjectionPurgeHook()
