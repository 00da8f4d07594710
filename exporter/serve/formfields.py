"""The export options of a request: the command line's options under their underscore
names (``paper``, ``numerals``, ``toc``, ``pdf_variant``, ...), taken from the one options
table (``options.OPTION_FIELDS``) so that an option added there is accepted here too.

Options that say how a run goes on the machine (``out_dir``, ``jobs``, ``force``,
``scheduler``, ``catalog``, ...: those marked ``run_only``) are the server's, not a
client's; so is ``allow_remote`` (``exporter serve --allow-remote``). The limits
(``timeout``, ``max_size``, ...) may be lowered by a client, never raised past the
server's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import Field

from ..errors import ExportError
from ..options import OPTION_FIELDS, Options, make_options

LIMITS = ("timeout", "max_size", "max_depth", "max_footnotes", "max_pixels")
# The options of a run (``run_only``: where, how many at once, what else to write), and
# fetching remote images, are the server's; of them a client may only lower the time limit.
SERVER_ONLY = frozenset(
    {spec.name for spec in OPTION_FIELDS if spec.metadata.get("run_only")} - set(LIMITS)
) | {"allow_remote"}
# Form fields that are no option: the upload itself.
UPLOAD_FIELDS = frozenset({"file", "images"})

CLIENT_FIELDS: tuple[Field[object], ...] = tuple(
    spec for spec in OPTION_FIELDS if spec.name not in SERVER_ONLY
)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _value(spec: Field[object], text: str) -> object:
    kind = str(spec.type)
    if kind.startswith("bool"):
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        if kind == "bool | None" and lowered in {"", "default"}:
            return None
        raise ExportError(f"option {spec.name}: write true or false, not {text!r}")
    if kind == "int":
        try:
            return int(text.strip())
        except ValueError:
            raise ExportError(f"option {spec.name}: a whole number, not {text!r}") from None
    return text


def request_options(form: Mapping[str, str], server: Options) -> Options:
    """The options of a request's form fields over the server's defaults; a bad one raises
    ``ExportError`` with the command line's message."""
    known = {spec.name: spec for spec in CLIENT_FIELDS}
    values: dict[str, object] = {name: getattr(server, name) for name in ("allow_remote", *LIMITS)}
    for name, text in form.items():
        if name in UPLOAD_FIELDS:
            continue
        spec = known.get(name)
        if spec is None:
            choices = ", ".join(sorted(known))
            raise ExportError(f"unknown option {name}: choose from {choices}")
        value = _value(spec, text)
        if value is not None:
            values[name] = value
    for name in LIMITS:
        ceiling = getattr(server, name)
        asked = values[name]
        if name == "timeout" and ceiling and (asked == 0 or asked > ceiling):  # type: ignore[operator]
            raise ExportError(f"option timeout: at most {ceiling} s on this server")
        if name != "timeout" and asked > ceiling:  # type: ignore[operator]
            raise ExportError(f"option {name}: at most {ceiling} on this server")
    return make_options(**values)
