"""How long this process has been running, measured from the OS's own start time.

Start-up figures must include the interpreter's start, which no in-process timer sees.
"""

from __future__ import annotations

import os
import sys
import time

_IMPORTED_AT = time.monotonic()


def process_age_ms() -> float:
    """Milliseconds since the OS started this process (best effort, never raises)."""
    try:
        if sys.platform.startswith("linux"):
            return _linux_age_ms()
        if sys.platform == "win32":
            return _windows_age_ms()
    except (OSError, ValueError, AttributeError):
        pass
    return (time.monotonic() - _IMPORTED_AT) * 1000.0


def _linux_age_ms() -> float:
    # Field 22 of /proc/self/stat is the start time in clock ticks after boot (proc(5)).
    with open("/proc/self/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    started_ticks = int(fields[19])
    with open("/proc/uptime", encoding="ascii") as uptime:
        uptime_s = float(uptime.read().split()[0])
    return (uptime_s - started_ticks / os.sysconf("SC_CLK_TCK")) * 1000.0


def _windows_age_ms() -> float:
    import ctypes
    from ctypes import wintypes

    creation, exit_, kernel, user = (wintypes.FILETIME() for _ in range(4))
    handle = ctypes.windll.kernel32.GetCurrentProcess()
    ctypes.windll.kernel32.GetProcessTimes(
        handle, ctypes.byref(creation), ctypes.byref(exit_), ctypes.byref(kernel), ctypes.byref(user)
    )
    now = wintypes.FILETIME()
    ctypes.windll.kernel32.GetSystemTimeAsFileTime(ctypes.byref(now))

    def to_int(ft: wintypes.FILETIME) -> int:
        return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

    return (to_int(now) - to_int(creation)) / 10_000.0  # FILETIME counts 100 ns steps
