"""The server's admin command run in-process, as an administrator types it."""

import io

from sync.server.__main__ import main


def run(url: str, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    """``instancias-sync-server admin --database-url URL ARGV…``: exit code, output, errors."""
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["admin", "--database-url", url, *argv], stdin=io.StringIO(stdin), stdout=out, stderr=err
    )
    return code, out.getvalue(), err.getvalue()
