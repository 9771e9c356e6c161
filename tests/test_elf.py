"""Reading an ELF file's library needs, and listing the sandbox's libraries with one ldd run
per kind of file: the same libraries as asking ldd about every file."""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
import sysconfig

import pytest

from nnex.sandbox import bubblewrap
from nnex.sandbox.elf import dynamic_needs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF: Linux only")


def _extension_modules() -> list[str]:
    import _json  # an extension module of the standard library

    return sorted(glob.glob(os.path.join(os.path.dirname(_json.__file__), "*.so")))


def test_an_extension_module_needs_the_c_library():
    needs = [dynamic_needs(path) for path in _extension_modules()]
    assert needs and all(n is not None for n in needs)
    assert any("libc.so.6" in needed for needed, *_ in needs)
    numpy_core = glob.glob(os.path.join(os.path.dirname(__import__("numpy").__file__), "**",
                                        "_multiarray_umath*.so"), recursive=True)
    needed, rpath, runpath, folder = dynamic_needs(numpy_core[0])
    assert "libc.so.6" in needed
    if "$ORIGIN" in (rpath or "") + (runpath or ""):  # numpy.libs, relative to the file
        assert folder == os.path.dirname(numpy_core[0])


@pytest.mark.parametrize("data", [b"", b"not an ELF file", b"\x7fELF\x02\x01\x01" + b"\0" * 9,
                                  b"\x7fELF\x01\x01\x01" + b"\0" * 60],
                         ids=["empty", "text", "truncated", "32_bit"])
def test_what_is_not_a_readable_64_bit_elf_file_gives_none(tmp_path, data):
    path = tmp_path / "lib.so"
    path.write_bytes(data)
    assert dynamic_needs(str(path)) is None


def test_a_truncated_library_gives_none(tmp_path):
    original = open(_extension_modules()[0], "rb").read()
    path = tmp_path / "cut.so"
    path.write_bytes(original[:200])
    assert dynamic_needs(str(path)) is None


def test_the_libraries_are_those_ldd_lists_for_every_file(monkeypatch):
    roots = [bubblewrap._base_interpreter(), sysconfig.get_paths()["stdlib"],
             *bubblewrap._student_package_folders()]
    asked: list[list[str]] = []
    run = subprocess.run

    def recording(argv, **kwargs):
        asked.append(argv[1:])
        return run(argv, **kwargs)

    monkeypatch.setattr(bubblewrap.subprocess, "run", recording)
    listed = bubblewrap._shared_libraries(roots)
    files = [roots[0]] + [os.path.join(folder, name) for root in roots[1:]
                          for folder, subfolders, names in os.walk(root)
                          if not re.match(re.escape(root) + r"/(site|dist)-packages(/|$)", folder)
                          for name in names if ".so" in name]
    every = run(["ldd", *files], capture_output=True, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    expected = set(re.findall(r"(/[^\s:]+) \(0x", every.stdout.decode()))
    def shown(paths):  # libgcc_s is added beside the C library either way
        return {p for p in paths if os.path.isfile(p) and "libgcc_s" not in p}

    assert shown(listed) == shown(expected)
    assert len(asked) == 1 and len(asked[0]) < len(files) / 2  # one ldd run, on fewer files
