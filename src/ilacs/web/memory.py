"""Asking glibc to hold less memory than it would: the server's arenas, and the buffers a
big allocation freed. Elsewhere than glibc both do nothing."""

from __future__ import annotations

import ctypes
import ctypes.util

_M_ARENA_MAX = -8  # mallopt's parameter (malloc.h)


def fewer_malloc_arenas() -> None:
    """glibc gives threads that allocate at once arenas of their own (up to eight per core),
    and an arena keeps what was freed in it: pages built in a pool of threads under load
    leave the server holding memory it no longer uses. Two arenas keep that bounded (see
    benchmarks/faults.py). Call before the server's threads start."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, 2)


def return_freed_memory() -> None:
    """Hand what the program has freed back to the system. glibc keeps it for the next
    allocations, so a passing burst (the search index's writers: 233 MiB resident after
    making the full record's index, 116 after this) would stay resident."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc's, not another C library's
    except (OSError, AttributeError):
        return None
    return libc
