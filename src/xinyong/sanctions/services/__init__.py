"""Writes of `sanctions`: one function per transition.

- `checks`: `check_run` (one subject), `check_bulk` (a file of bidders);
- `feedback`: `feedback_submit`;
- `cases`: `case_create`, `case_submit`, `case_return`, `case_publish`.
"""
