"""Reusable editors and views."""
