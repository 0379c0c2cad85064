import itertools

from django.utils.translation import gettext as _

from xinyong.core.errors import NotFoundError
from xinyong.orgs.permissions import ensure_department_access
from xinyong.records.models import Record


def record_get_for(user, pk: int) -> Record:
    """A record for its department's users and the credit office only."""
    record = (
        Record.objects.select_related("item", "department", "subject", "version")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise NotFoundError("not_found", _("未找到该记录，或您无权访问"))
    ensure_department_access(user, record.department)
    return record


def record_history(record: Record) -> list[dict]:
    """The record's contents, newest first: the current one, then each earlier revision."""
    labels = {f["key"]: f["label"] for f in record.version.schema["fields"]}
    history = [
        {
            "revision": record.revision,
            "data": record.data,
            "since": record.updated_at,
            "until": None,
            "batch": record.source_batch_id,
            "row": record.source_row,
        }
    ]
    for revision in record.revisions.order_by("-revision"):
        history.append(
            {
                "revision": revision.revision,
                "data": revision.data,
                "since": revision.valid_from_at,
                "until": revision.replaced_at,
                "batch": revision.source_batch_id,
                "row": revision.source_row,
            }
        )
    # What changed from each revision to the next newer one.
    for newer, older in itertools.pairwise(history):
        newer["changes"] = [
            {
                "label": labels.get(k, k),
                "before": older["data"].get(k, ""),
                "after": newer["data"].get(k, ""),
            }
            for k in sorted(set(newer["data"]) | set(older["data"]))
            if newer["data"].get(k) != older["data"].get(k)
        ]
    return history


def record_fields(record: Record) -> list[tuple[str, str]]:
    return [(f["label"], record.data.get(f["key"], "")) for f in record.version.schema["fields"]]
