"""Child processes that never outlive their parent: an import's reading
process, the worker that `xinyong run` starts beside its server."""

import contextlib
import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int, sig: int = signal.SIGKILL) -> None:
    """Call first thing in a child process: the kernel sends it `sig` when its
    parent dies (Linux's PR_SET_PDEATHSIG; strictly, when the parent's thread
    that started it ends). Exits at once if the parent is already gone. Where
    the request is not available, the child checks `parent_alive` as it works."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig))
    if not parent_alive(parent):
        os._exit(1)


def parent_alive(parent: int) -> bool:
    """Whether `parent` is still this process's parent (an orphan is adopted
    by init or a subreaper, and its parent id changes)."""
    return os.getppid() == parent
