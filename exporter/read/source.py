"""Read an input file: strict UTF-8 (a BOM and CRLF accepted) and its YAML front matter."""

from __future__ import annotations

import errno
import os
import re
import stat
import warnings
from pathlib import Path
from types import MappingProxyType

import yaml

from ..errors import ExportWarning, FrontMatterError, InputError
from ..model import Source

_BOM = b"\xef\xbb\xbf"
# Front matter: a first line of exactly `---`, YAML, then a line of `---` or `...`.
_TOP_LEVEL_KEY = re.compile(r"^([^\s#:-][^:]*?)\s*:(?:\s|$)")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def read_source(path: Path, *, max_size: int = 10 * 1024 * 1024) -> Source:
    raw = _read_bytes(path, max_size)
    text = _decode(raw, path)
    text = _without_controls(text.replace("\r\n", "\n").replace("\r", "\n"), path)
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
        # Opened without waiting: a FIFO would block the open itself until a writer came.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise InputError("is a folder, not a Markdown file", path=path)
            if not stat.S_ISREG(info.st_mode):  # a device or a pipe could be read forever
                raise InputError("is not a regular file", path=path)
            data = file.read(max_size + 1)  # the size may have changed since fstat
    except FileNotFoundError:
        raise InputError("file not found: check the path", path=path) from None
    except PermissionError:
        raise InputError("permission denied: the file cannot be read", path=path) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError("is a symbolic link that loops", path=path) from None
        raise InputError(f"cannot be read: {error.strerror}", path=path) from None
    if len(data) > max_size:
        size = max(info.st_size, len(data))
        raise InputError(
            f"the file is {size} bytes, over the limit of {max_size}: raise --max-size",
            path=path,
        )
    if not data.removeprefix(_BOM).strip():
        raise InputError("the file is empty: there is nothing to export", path=path)
    return data


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


# C0 and C1 controls other than tab and line feed, and the two noncharacters XML forbids:
# not text, invalid in XML 1.0 (so in EPUB) and parse errors in HTML.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def _without_controls(text: str, path: Path) -> str:
    """The text with control characters removed, and one warning saying where."""
    found = _CONTROLS.search(text)
    if found is None:
        return text
    count = len(_CONTROLS.findall(text))
    warnings.warn(
        ExportWarning(
            f"the text contains {count} control character(s), "
            f"the first U+{ord(found.group()):04X}: removed",
            path=path,
            line=text.count("\n", 0, found.start()) + 1,
        ),
        stacklevel=3,
    )
    return _CONTROLS.sub("", text)


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


# YAML aliases let a few lines describe a structure of billions of nodes (the "billion
# laughs"); every node is counted as if each alias were written out, and a front matter
# bigger than this is refused before anything is built from it.
MAX_YAML_NODES = 10_000


def _load_yaml(yaml_text: str, path: Path) -> dict[str, object]:
    """The front matter as a dict, built key by key so that an error names its key. The
    safe loader only: a Python tag is an error, never a call."""
    try:
        loader = yaml.SafeLoader(yaml_text)
    except yaml.reader.ReaderError as error:  # checked for every character on creation
        line = yaml_text.count("\n", 0, error.position) + 2
        raise FrontMatterError(
            f"front matter contains a character YAML does not allow (U+{error.character:04X})",
            path=path,
            line=line,
        ) from None
    try:
        root = loader.get_single_node()
        if root is None:
            return {}
        if not isinstance(root, yaml.MappingNode):
            raise FrontMatterError(
                "front matter must be a mapping of keys to values", path=path, line=2
            )
        loader.flatten_mapping(root)  # `<<` merge keys, as the full loader would
        return _construct_keys(loader, root, path)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for `---`
        problem = error.problem or error.context or "malformed"
        raise FrontMatterError(
            f"front matter is not valid YAML: {problem}", path=path, line=line
        ) from None
    except yaml.YAMLError as error:
        raise FrontMatterError(f"front matter is not valid YAML: {error}", path=path) from None
    except RecursionError:
        raise FrontMatterError("front matter is nested too deeply", path=path) from None
    finally:
        loader.dispose()


def _construct_keys(loader: yaml.SafeLoader, root: yaml.MappingNode, path: Path) -> dict:
    data: dict[str, object] = {}
    budget = MAX_YAML_NODES
    for key_node, value_node in root.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        line = value_node.start_mark.line + 2
        budget -= _expanded_size(value_node, budget)
        if budget < 0:
            raise FrontMatterError(
                f"{key} is too large once its YAML aliases are expanded "
                f"(over {MAX_YAML_NODES} values)", path=path, line=line,
            )  # fmt: skip
        try:
            value = loader.construct_object(value_node, deep=True)
        except yaml.constructor.ConstructorError as error:
            raise FrontMatterError(
                f"{key} cannot be read: {error.problem}", path=path, line=line
            ) from None
        except ValueError as error:  # a timestamp YAML recognises but cannot build, Feb 30
            raise FrontMatterError(
                f"{key} has an impossible value: {error}", path=path, line=line
            ) from None
        data[key] = value
    return data


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """How many nodes ``node`` stands for with every alias written out, counted up to just
    past ``limit`` (a cycle, which aliases allow, counts as past it)."""
    count = 0
    stack: list[tuple[yaml.Node, frozenset[int]]] = [(node, frozenset())]
    while stack and count <= limit:
        current, ancestors = stack.pop()
        count += 1
        if id(current) in ancestors:
            return limit + 1
        if isinstance(current, yaml.SequenceNode):
            children = current.value
        elif isinstance(current, yaml.MappingNode):
            children = [child for pair in current.value for child in pair]
        else:
            continue
        inner = ancestors | {id(current)}
        stack.extend((child, inner) for child in children)
    return count
