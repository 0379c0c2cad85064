"""Writes of lists: one function per transition (see `procedure` and `removal`)."""

from xinyong.lists.services.challenge import list_entry_challenge
from xinyong.lists.services.procedure import (
    list_entry_answer_objection,
    list_entry_decide,
    list_entry_notify,
    list_entry_object,
    list_entry_propose,
    list_entry_publish,
    list_entry_withdraw,
)
from xinyong.lists.services.received import (
    Received,
    list_entry_receive,
    list_entry_receive_end,
)
from xinyong.lists.services.removal import (
    list_entries_expire,
    list_entry_remove_early,
    list_entry_revoke,
)

# The name the rights issue calls (LISTS_INTERFACE.md / issue 13 §2).
entry_remove_early = list_entry_remove_early

__all__ = [
    "Received",
    "entry_remove_early",
    "list_entries_expire",
    "list_entry_answer_objection",
    "list_entry_challenge",
    "list_entry_decide",
    "list_entry_notify",
    "list_entry_object",
    "list_entry_propose",
    "list_entry_publish",
    "list_entry_receive",
    "list_entry_receive_end",
    "list_entry_remove_early",
    "list_entry_revoke",
    "list_entry_withdraw",
]
