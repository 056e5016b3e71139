"""Dialogs of the visit editor."""
