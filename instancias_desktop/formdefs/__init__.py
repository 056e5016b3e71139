"""Checklist definitions (fichas) authored in forms/: read, checked against the schema, released."""
