"""Running queued tasks in a test, as a worker would, in the test's process."""

from unittest import mock

from xinyong.core.tasks import worker


def run_ready_tasks() -> int:
    """Run the tasks that are ready (`core.tasks.worker.run_ready_tasks`).

    The library's worker loop closes the database connection between tasks
    when it is not in autocommit mode, as a worker's always is; a test's is
    inside the test's transaction, which that would end. Returns how many ran."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        return worker.run_ready_tasks()
