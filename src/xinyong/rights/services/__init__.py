"""Writes of `rights`: one function per transition of an objection."""

from xinyong.rights.services.objection import (
    objection_accept,
    objection_close,
    objection_refuse,
    objection_request_more,
    objection_route,
    objection_submit,
    objection_verify,
    secret_matches,
)

__all__ = [
    "objection_accept",
    "objection_close",
    "objection_refuse",
    "objection_request_more",
    "objection_route",
    "objection_submit",
    "objection_verify",
    "secret_matches",
]

# Credit repair (信用修复): `services/repair.py`, its effects in `repair_effects.py`.
from xinyong.rights.services.repair import (
    repair_accept,
    repair_approve,
    repair_refuse,
    repair_reject,
    repair_submit,
)

__all__ += [
    "repair_accept",
    "repair_approve",
    "repair_refuse",
    "repair_reject",
    "repair_submit",
]
