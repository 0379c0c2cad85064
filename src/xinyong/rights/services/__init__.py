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
