"""The subject page's section of published commitments (主动型, 信用修复型)."""

from typing import Any

from django import template

from xinyong.rights import commitment_selectors

register = template.Library()

SHOWN = 20


@register.inclusion_tag("portal/_subject_commitments.html")
def subject_commitments(subject_id: int) -> dict[str, Any]:
    rows = commitment_selectors.commitments_published(subject_id=subject_id)[:SHOWN]
    return {"commitments": [commitment_selectors.public_view(c) for c in rows]}


@register.inclusion_tag("portal/_guide_commitment_training.html")
def repair_commitment_and_training() -> dict[str, Any]:
    """The repair guide's links: sign the 信用修复承诺, enrol in a coming session."""
    return {"sessions": list(commitment_selectors.sessions_open()[:SHOWN])}
