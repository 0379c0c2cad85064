"""Negative records with their tier and window as the disclosure rules gave
them, and repair applications filed through the real service."""

import datetime as dt

from records.factories import PenaltyRecordFactory
from rights.factories import company_applicant
from xinyong.records.disclosure.windows import add_months
from xinyong.rights.services import repair_submit
from xinyong.rights.services.repair import RepairFiled

# 发改办财金〔2019〕527号 (decisions before 2026-04-01): 一般 3–12 months,
# 严重 6–36 months, from the decision.
TIERS = {"general": (3, 12), "serious": (6, 36)}


def negative_record(
    *,
    department,
    subject,
    decided: dt.date,
    tier: str = "general",
    rule: str = "ndrc-2019",
    category: str = "罚款",
    published_on: dt.date | None = None,
):
    """A 行政处罚 record decided on `decided`, published, with the window
    of `tier` under `rule` (months from the decision)."""
    record = PenaltyRecordFactory(
        department=department,
        subject=subject,
        decided=decided,
        published_on=published_on or decided,
        disclosure_rule=rule,
        disclosure_tier=tier,
        disclosure_end=add_months(decided, TIERS[tier][1]),
    )
    if category != "罚款":
        record.data = {**record.data, "penalty_category": category}
        record.save(update_fields=["data"])
    return record


def file_repair(record, *, commitment: bool = True, applicant=None) -> RepairFiled:
    return repair_submit(
        record_id=record.pk,
        applicant=applicant or company_applicant(),
        reason="罚款已于2025年2月缴清，违法行为已改正",
        commitment=commitment,
    )
