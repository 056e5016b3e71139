"""Qt item models over the frozen values the services return."""
