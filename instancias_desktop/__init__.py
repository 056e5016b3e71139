"""Offline record of MIMP technical assistance to the Instancias de Concertación."""

__version__ = "0.1.0"
