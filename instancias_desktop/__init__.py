"""Offline record of MIMP technical assistance to the Instancias de Concertación."""

from importlib.metadata import PackageNotFoundError, version

try:  # one version number: the package's (pyproject.toml), as pip or a bundle recorded it
    __version__ = version("instancias-desktop")
except PackageNotFoundError:  # a checkout imported without being installed
    __version__ = "0+sin-instalar"
