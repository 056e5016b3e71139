"""One sync of an app profile in its own process, so a test can kill it (SIGKILL) anywhere.

``python sync_child.py PROFILE_ROOT`` opens the profile as the app does (its settings file,
migrations, catalogues) and runs one sync with the enrolled server through the app's services.
It prints one JSON line, ``{"complete": …, "message": …}`` or ``{"failed": …}``, and exits 0.
Run by path: it needs the installed app, nothing of the tests.
"""

import json
import os
import sys
from pathlib import Path

from instancias_desktop.domain.sync_views import SyncFailedError
from instancias_desktop.paths import ProfilePaths
from instancias_desktop.services.profile import open_services
from instancias_desktop.services.profile_keys import PASSPHRASE_ENV, tool_key
from instancias_desktop.settings import load_settings


def main(root: str) -> int:
    """Sync the profile at ``root`` once."""
    paths = ProfilePaths(Path(root))
    key = tool_key(paths, os.environ[PASSPHRASE_ENV])  # as the demo takes it: tools, not the app
    services = open_services(paths, load_settings(paths.settings), key=key)
    try:
        summary = services.synchronize(lambda _progress: None)
        print(json.dumps({"complete": summary.complete, "message": summary.message}))
    except SyncFailedError as error:
        print(json.dumps({"failed": str(error)}))
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
