"""What the workers run besides the queue: periodic tasks and recoveries,
declared once by the app that owns them (in its `tasks.py`)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django_tasks.base import Task

R = TypeVar("R")


@dataclass(frozen=True)
class Periodic:
    task: "Task[[], Any]"  # a task taking no arguments
    every: dt.timedelta

    @property
    def path(self) -> str:
        return self.task.module_path


_periodic: dict[str, Periodic] = {}
_recoveries: dict[str, Callable[[], object]] = {}


def periodic(task: "Task[[], R]", *, every: dt.timedelta) -> "Task[[], R]":
    """Have the workers enqueue `task` (no arguments) at their start and then
    every `every`, never while an earlier run is queued or running. The task
    must be idempotent: a worker's start runs it again. Returns the task."""
    if every <= dt.timedelta(0):
        raise ValueError("every must be positive")
    entry = Periodic(task, every)
    _periodic[entry.path] = entry
    return task


def recovery(function: Callable[[], object]) -> Callable[[], object]:
    """Have the workers call `function()` when they start and every minute,
    after the tasks of dead workers are marked failed; it finds the work
    those left half done and retries or ends it. Must be idempotent."""
    _recoveries[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def periodic_tasks() -> list[Periodic]:
    return list(_periodic.values())


def recoveries() -> list[Callable[[], object]]:
    return list(_recoveries.values())
