"""How to show a student's name safely in each output: terminal, CSV, Markdown, HTML, file names.

A student's name is the name of their folder, which the student (or an unzip tool) chose. It may
hold escape codes, newlines, zero-width characters, letters that look like others (Cyrillic
``а`` for Latin ``a``), bytes that are not UTF-8 (a Shift_JIS zip: kept by Python as
``\\udc82``-style surrogates), or start with ``=`` so that a spreadsheet runs it as a formula.

``label`` is the one text every output shows: a name made only of printable ASCII (no
backslash) and Japanese script, with no space at either end, is shown as it is; any other name
is followed by its escaped form in brackets (``ivаn [iv\\u0430n]``, ``かが [かか\\u3099]``), or
replaced by it when it holds characters that must not be printed at all (controls, zero-width,
line breaks, undecodable bytes). The escaped form is unique per name, so two rows that look
alike never read alike. The other functions wrap ``label`` for one output each.
"""

from __future__ import annotations

import re
import unicodedata

_JAPANESE = ((0x3005, 0x3007), (0x3041, 0x309F), (0x30A0, 0x30FF), (0x3400, 0x4DBF),
             (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
"""々〆〇, hiragana, katakana (with ー), CJK ideographs: what Japanese names are written in."""
_UNPRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP "CSV Injection": cells starting with these are formulas in Excel/LibreOffice/Sheets."""
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]#|~]|(?<![^\W_])_|_(?![^\W_]))")
"""What makes Markdown syntax in a name: ``_`` only beside a non-letter (``山田_太郎`` stays)."""
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
MAX_STEM_BYTES = 120
"""A file name made from a name stays well under the 255-byte limit with any suffix."""


def _plain(char: str) -> bool:
    code = ord(char)
    if char.isascii():
        return char.isprintable() and char != "\\"
    # A combining mark (macOS writes が as か + ゙) looks like the composed letter.
    return (any(low <= code <= high for low, high in _JAPANESE)
            and not unicodedata.category(char).startswith("M"))


def _plain_name(name: str) -> bool:
    """Shown as it is: plain characters only, no space at either end (``alice `` is not
    ``alice``)."""
    return all(_plain(char) for char in name) and name == name.strip(" ")


def escaped(name: str) -> str:
    """``name`` with every character that is not plain ASCII or Japanese written as an escape:
    ``\\xNN`` for a byte that was not UTF-8, ``\\uNNNN`` otherwise, ``\\\\`` for a backslash."""
    parts = []
    for position, char in enumerate(name):
        code = ord(char)
        if char == " " and (position == 0 or position == len(name) - 1):
            parts.append("\\x20")
        elif _plain(char):
            parts.append(char)
        elif 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape: one undecodable byte
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif char == "\\":
            parts.append("\\\\")
        elif code <= 0xFFFF:
            parts.append(f"\\u{code:04x}")
        else:
            parts.append(f"\\U{code:08x}")
    return "".join(parts)


def label(name: str) -> str:
    """The name as every output shows it (see the module docstring)."""
    if _plain_name(name):
        return name
    form = escaped(name)
    if any(unicodedata.category(char) in _UNPRINTABLE or char.isspace() and char != " "
           for char in name):
        return form
    return f"{name} [{form}]"


def terminal(name: str) -> str:
    """For the console: never an escape code, never a line break."""
    return label(name)


def terminal_line(text: str) -> str:
    """Text that may quote the student (an exception message) for one console line: line breaks
    shown as ``⏎``, every other control or invisible character as its escape (``\\u001b``), so
    it can neither forge lines nor send escape codes to the terminal."""
    one_line = _LINE_BREAK.sub(" ⏎ ", text)
    return "".join(f"\\u{ord(char):04x}" if unicodedata.category(char) in _UNPRINTABLE else char
                   for char in one_line)


def csv_cell(name: str) -> str:
    """For a CSV cell: the label, with a leading ``'`` when a spreadsheet would read it as a
    formula (OWASP's advice for CSV injection), or starts with ``'`` itself (so that no two
    names give the same cell)."""
    text = label(name)
    return "'" + text if text.startswith((*_FORMULA_STARTS, "'")) else text


def markdown_name(name: str) -> str:
    """A name for Markdown (a heading, a list): every Markdown and HTML character escaped."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", label(name))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_line(text: str) -> str:
    """Text that may quote the student (an exception message, a value) for one Markdown line:
    line breaks shown as ``⏎`` (a new line could start a heading such as "Total 88/88"), no raw
    HTML, no link, no bold. Other characters stay as they are, so code such as ``relu(x)``
    reads as code."""
    one_line = _LINE_BREAK.sub(" ⏎ ", text)
    safe = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    safe = safe.replace("](", "]\\(").replace("*", "\\*")
    return "\\" + safe if safe.startswith(("[", "#", "|", "=", "+", "-", "*")) else safe


def file_stems(names: list[str]) -> dict[str, str]:
    """A file name (without suffix) for each name: unique even on a case-insensitive disk,
    and the same for the same class.

    A name that is plain, short enough and alone in its case-folded form keeps its name; any
    other name gets a readable part and a hash of the name (``ivan-3f2a9c1d``).
    """
    groups: dict[str, int] = {}
    for name in names:
        key = unicodedata.normalize("NFC", name).casefold()
        groups[key] = groups.get(key, 0) + 1
    stems = {}
    for name in names:
        key = unicodedata.normalize("NFC", name).casefold()
        keeps = (groups[key] == 1 and _plain_name(name)
                 and not name.startswith(".") and "/" not in name
                 and len(name.encode()) <= MAX_STEM_BYTES)
        stems[name] = name if keeps else _hashed_stem(name)
    return stems


def record_stem(name: str) -> str:
    """A file name (without suffix) for one name, without knowing the class: a plain,
    lower-case, short name keeps its name, any other gets a hash (so ``Alice`` and ``alice``
    never share a file on a case-insensitive disk)."""
    keeps = (_plain_name(name) and name == name.lower()
             and not name.startswith(".") and len(name.encode()) <= MAX_STEM_BYTES)
    return name if keeps else _hashed_stem(name)


def _hashed_stem(name: str) -> str:
    readable = "".join(char if _plain(char) and char not in "/." else "_" for char in name)
    import hashlib  # here: loading OpenSSL (~5 ms) would slow every nnex check

    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    head = readable.encode()[:MAX_STEM_BYTES - 9].decode("utf-8", "ignore").strip("_ ")
    return f"{head or 'student'}-{digest}"
