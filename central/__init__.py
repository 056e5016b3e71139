"""The central server as MIMP runs it: the sync API and, beside it, the headquarters dashboard.

``sync`` never imports this package; this package reads the sync server's database and uses
the app's domain (read models, the territorial catalogue) and its table exports.
"""
