"""``python -m instancias_desktop``: start the app."""

import sys

from instancias_desktop.app import main

sys.exit(main())
