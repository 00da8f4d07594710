"""Read an input file: strict UTF-8 (a BOM and CRLF accepted) and its YAML front matter."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import yaml

from .errors import FrontMatterError, InputError
from .model import Source

_BOM = b"\xef\xbb\xbf"
# Front matter: a first line of exactly `---`, YAML, then a line of `---` or `...`.
_TOP_LEVEL_KEY = re.compile(r"^([^\s#:-][^:]*?)\s*:(?:\s|$)")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def read_source(path: Path, *, max_size: int = 10 * 1024 * 1024) -> Source:
    raw = _read_bytes(path, max_size)
    text = _decode(raw, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front_matter, body, body_first_line = _split_front_matter(text, path)
    return Source(
        path=path,
        raw=raw,
        front_matter=MappingProxyType(front_matter),
        body=body,
        body_first_line=body_first_line,
    )


def _read_bytes(path: Path, max_size: int) -> bytes:
    try:
        if path.is_dir():
            raise InputError("is a folder, not a Markdown file", path=path)
        size = path.stat().st_size
        if size > max_size:
            raise InputError(
                f"the file is {size} bytes, over the limit of {max_size}: raise --max-size",
                path=path,
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found: check the path", path=path) from None
    except PermissionError:
        raise InputError("permission denied: the file cannot be read", path=path) from None
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", path=path) from None


def _decode(raw: bytes, path: Path) -> str:
    data = raw[len(_BOM) :] if raw.startswith(_BOM) else raw
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + (len(raw) - len(data))
        line = raw.count(b"\n", 0, offset) + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        raise InputError(
            f"not valid UTF-8: byte 0x{raw[offset]:02x} at offset {offset} "
            f"(line {line}, column {column}); save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError("contains a NUL byte: this is not a text file", path=path, line=line)
    return text


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str, int]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text, 1
    yaml_text = match.group("yaml") or ""
    data = _load_yaml(yaml_text, path)
    body_first_line = text.count("\n", 0, match.end()) + 1
    return data, text[match.end() :], body_first_line


def front_matter_key_lines(source: Source) -> dict[str, int]:
    """The 1-based file line of each top-level front matter key, for error messages."""
    lines: dict[str, int] = {}
    if not source.front_matter:
        return lines
    text = source.raw.decode("utf-8", "replace").lstrip("\ufeff")
    for number, line in enumerate(text.splitlines()[1 : source.body_first_line], start=2):
        if key := _TOP_LEVEL_KEY.match(line):
            lines.setdefault(key.group(1).strip("'\""), number)
    return lines


def _load_yaml(yaml_text: str, path: Path) -> dict[str, object]:
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for `---`
        problem = error.problem or error.context or "malformed"
        raise FrontMatterError(
            f"front matter is not valid YAML: {problem}", path=path, line=line
        ) from None
    except yaml.YAMLError as error:
        raise FrontMatterError(f"front matter is not valid YAML: {error}", path=path) from None
    except ValueError as error:  # a timestamp YAML recognises but cannot build, e.g. Feb 30
        raise FrontMatterError(
            f"front matter has an impossible value: {error}", path=path
        ) from None
    except RecursionError:
        raise FrontMatterError("front matter is nested too deeply", path=path) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise FrontMatterError(
            "front matter must be a mapping of keys to values", path=path, line=2
        )
    return {str(key): value for key, value in data.items()}
