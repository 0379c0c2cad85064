"""The `xinyong` console script: Django's management under the project's own name."""

import os
import sys


def _unmigrated() -> bool:
    """Whether the database lacks migrations: a command then fails on a missing table."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection.close()  # a failed statement may have left the connection unusable
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return False


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["xinyong", *sys.argv[1:]])
    except DatabaseError:
        # A fresh data directory (or a new release) before `xinyong migrate`: say what to do
        # instead of a traceback about a missing table. Any other database error still raises.
        if not _unmigrated():
            raise
        from django.utils.translation import gettext as _

        sys.stderr.write(_("数据库尚未初始化或未升级到当前版本，请先运行：xinyong migrate") + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
