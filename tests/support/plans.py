"""Query plans for the tests that prove a query walks an index, on either database."""

from django.db import connection


def query_plan(queryset) -> str:
    """The database's plan for a queryset, as text."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # On a small table PostgreSQL rightly prefers a sequential scan: ask
        # whether an index *can* serve the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
