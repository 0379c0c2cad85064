"""Writes of `sanctions`: one function per transition.

- `checks`: `check_run` (one subject);
- `batches`: `check_batch_submit`, `check_batch_run` (the worker), `check_batch_recover_stalled`
  (a file of bidders on the task queue; `bulk` reads it and writes the result sheet);
- `feedback`: `feedback_submit`;
- `cases`: `case_create`, `case_submit`, `case_return`, `case_publish`, `case_retag`.
"""
