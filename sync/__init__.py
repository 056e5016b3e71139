"""Synchronization of offline laptops with one central server: protocol, client engine, server.

This package never imports instancias_desktop: the app adapts its database to ``client.LocalStore``.
"""
