"""What decides the shared libraries an ELF file loads: its DT_NEEDED names and search paths.

Read straight from the file's dynamic section (64-bit ELF, either byte order), so that files
with the same needs can share one ``ldd`` run (``bubblewrap._shared_libraries``). Anything this
reader does not understand gives None: the caller then asks ``ldd`` about that file itself.
"""

from __future__ import annotations

import mmap
import os
import struct

_PT_LOAD, _PT_DYNAMIC = 1, 2
_DT_NULL, _DT_NEEDED, _DT_STRTAB, _DT_RPATH, _DT_RUNPATH = 0, 1, 5, 15, 29


def dynamic_needs(path: str) -> tuple | None:
    """``(needed names, rpath, runpath, folder)`` of a 64-bit ELF file, or None if it cannot
    be read as one. ``folder`` is the file's folder when a search path may hold ``$ORIGIN``
    (resolved against it), else None: two files with equal needs load the same libraries."""
    try:
        with (open(path, "rb") as file,
              mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data):
            return _needs(data, path)
    except (OSError, struct.error, IndexError, ValueError):  # mmap of an empty file: ValueError
        return None


def _needs(data: mmap.mmap, path: str) -> tuple | None:
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] not in (1, 2):  # 64-bit only
        return None
    order = "<" if data[5] == 1 else ">"
    phoff, = struct.unpack_from(order + "Q", data, 32)
    phentsize, phnum = struct.unpack_from(order + "HH", data, 54)
    loads, dynamic = [], None
    for index in range(phnum):
        kind, _, offset, vaddr, _, filesz = struct.unpack_from(order + "IIQQQQ", data,
                                                               phoff + index * phentsize)
        if kind == _PT_LOAD:
            loads.append((vaddr, filesz, offset))
        elif kind == _PT_DYNAMIC:
            dynamic = (offset, filesz)
    if dynamic is None:
        return ((), None, None, None)  # static: loads nothing
    entries = []
    for at in range(dynamic[0], dynamic[0] + dynamic[1] - 15, 16):
        tag, value = struct.unpack_from(order + "qQ", data, at)
        if tag == _DT_NULL:
            break
        entries.append((tag, value))
    strtab = next((v for t, v in entries if t == _DT_STRTAB), None)
    base = next((o + strtab - v for v, size, o in loads if strtab is not None
                 and v <= strtab < v + size), None)
    if base is None:
        return None

    def text(offset: int) -> str:
        end = data.find(b"\0", base + offset)
        if end < 0:
            raise ValueError("a name without its end")
        return data[base + offset:end].decode("utf-8", "surrogateescape")

    needed = tuple(text(v) for t, v in entries if t == _DT_NEEDED)
    rpath = next((text(v) for t, v in entries if t == _DT_RPATH), None)
    runpath = next((text(v) for t, v in entries if t == _DT_RUNPATH), None)
    folder = os.path.dirname(path) if "$" in (rpath or "") + (runpath or "") else None
    return needed, rpath, runpath, folder
