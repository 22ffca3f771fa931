"""Runs mlx_lm.server (its own main(), its own flags) and makes it die with ctxc: a thread reads
stdin, which is a pipe from ctxc; when ctxc exits for any reason — normal exit, Ctrl-C, SIGTERM,
SIGKILL, a crash — the kernel closes the pipe, the read returns EOF and the server exits at once.
ctxc also closes the pipe itself to stop the server. Works the same on macOS and Linux.

usage: python -c "$(cat mlx_server.py)" --model M [--adapter-path A] --port P ...
"""
import os
import sys
import threading


def _exit_when_parent_goes():
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os._exit(0)


threading.Thread(target=_exit_when_parent_goes, name="ctxc-parent-watch", daemon=True).start()

from mlx_lm.server import main  # noqa: E402  (after the watchdog: a slow import still dies with ctxc)

sys.argv = ["mlx_lm.server", *sys.argv[1:]]
main()
