"""The app's side of synchronization: its database as a sync LocalStore."""
