"""Repositories: the queries and writes of each area, returning domain values, never ORM rows."""
