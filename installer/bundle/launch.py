"""The bundle's entry point: the same ``main`` the installed command runs."""

import sys

from instancias_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
