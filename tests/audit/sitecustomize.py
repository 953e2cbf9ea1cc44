"""Loaded by every Python process of a test run when this folder is on PYTHONPATH.

It records each network address the process tries to reach (connect, sendto, name
lookups) into $DIAGWIZARD_AUDIT_LOG, so a test can prove that only configured targets
were contacted, in the main process and in isolated children alike.
"""

import os
import sys

_LOG = os.environ.get("DIAGWIZARD_AUDIT_LOG")

if _LOG:

    def _record(event: str, args: tuple) -> None:
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            address = args[1] if event != "socket.sendmsg" else args[-1]
        elif event == "socket.getaddrinfo":
            address = args[0]
        elif event == "socket.gethostbyname":
            address = args[0]
        else:
            return
        try:
            with open(_LOG, "a", encoding="utf-8") as f:
                f.write(f"{event}\t{address!r}\n")
        except OSError:
            pass

    sys.addaudithook(_record)
