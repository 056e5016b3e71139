"""The profile's key: derived from her passphrase, or kept in the system's credential store."""
