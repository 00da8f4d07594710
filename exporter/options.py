"""The export options: one table that serves both the Python API and the command line.

Each field's metadata holds its command-line help; ``cli.py`` builds its parser from it,
so an option added here exists in both places at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from .choices import (
    DEFAULT_VARIANT,
    JUSTIFICATIONS,
    PAPERS,
    VARIANTS,
    check_bleed,
    check_marks,
    paper_name,
)
from .errors import ExportError
from .numerals import PROFILES

FORMATS = ("pdf", "epub", "html")


def _help(text: str, **cli: object) -> dict[str, object]:
    return {"help": text, **cli}


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = field(
        default=FORMATS,
        metadata=_help("output formats, comma-separated", flag="-f", metavar="pdf,epub,html"),
    )
    out_dir: Path = field(
        default=Path("dist"),
        metadata=_help("output folder", flag="-o", metavar="DIR", run_only=True),
    )
    strict: bool = field(default=False, metadata=_help("treat every warning as an error"))
    numerals: str | None = field(
        default=None,
        metadata=_help(
            "digits of generated numbers (folios, notes, lists, dates); "
            "default from the front matter, else from lang",
            metavar="arabic-indic|persian|western",
        ),
    )
    max_size: int = field(
        default=10 * 1024 * 1024,
        metadata=_help("largest input accepted, in bytes", metavar="BYTES"),
    )

    # Options of the print PDF (paper, toc, bleed, marks) go below this line.
    paper: str | None = field(
        default=None,
        metadata=_help(
            "paper size of the PDF; default from the front matter, else A4",
            metavar="|".join(PAPERS),
        ),
    )
    toc: bool | None = field(
        default=None,
        metadata=_help(
            "a table of contents in the PDF and the HTML (--no-toc: none); default from the "
            "front matter, else one when the article has two or more # chapters"
        ),
    )
    bleed: str | None = field(
        default=None,
        metadata=_help("bleed around each PDF page for a print shop, e.g. 3mm", metavar="LENGTH"),
    )
    marks: tuple[str, ...] = field(
        default=(),
        metadata=_help("printer's marks on the PDF pages, comma-separated", metavar="crop,cross"),
    )

    # Options of print justification (justify) go below this line.
    justify: str | None = field(
        default=None,
        metadata=_help(
            "how justified PDF lines take up their slack: kashida (lengthened joins, then "
            "spaces) or spaces only; default from the front matter, else kashida for Arabic "
            "and Persian in Naskh",
            metavar="|".join(JUSTIFICATIONS),
        ),
    )

    # Options of the archival PDF (pdf_variant) go below this line.
    pdf_variant: str = field(
        default=DEFAULT_VARIANT,
        metadata=_help(
            "the PDF's standard: a WeasyPrint variant (pdf/a-3b, pdf/ua-1, ...) or none",
            metavar="VARIANT",
        ),
    )

    unpatched_engine: bool = field(
        default=False,
        # Not run_only: without the patches the PDF is another file (engine/__init__.py).
        metadata=_help(
            "run WeasyPrint without this exporter's patches, on any WeasyPrint release: "
            "no exact copy-out text layer in the PDF, and slower"
        ),
    )

    # Options of untrusted-input handling (allow_remote, timeout, limits) go below this line.
    allow_remote: bool = field(
        default=False,
        metadata=_help("fetch http(s) images named by the article (public addresses only)"),
    )
    timeout: int = field(
        default=120,
        # run_only: a longer limit changes no output, so it rebuilds nothing (manifest.py).
        metadata=_help(
            "stop an export that runs longer, in seconds; 0 for none", metavar="S", run_only=True
        ),
    )
    max_depth: int = field(
        default=40,
        metadata=_help("deepest nesting of blockquotes, lists and HTML", metavar="N"),
    )
    max_footnotes: int = field(default=1000, metadata=_help("most footnotes accepted", metavar="N"))
    max_pixels: int = field(
        default=50_000_000,
        metadata=_help("largest image accepted, in pixels (read from its header)", metavar="N"),
    )

    # Options of batch runs (jobs, force, scheduler) go below this line.
    # They say how to run, not what to write: ``run_only`` keeps them out of the manifest's
    # key, so changing them never forces a rebuild (see manifest.py).
    jobs: int = field(
        default=0,
        metadata=_help("parallel export processes; 0 means one per core", metavar="N",
                       run_only=True),
    )  # fmt: skip
    force: bool = field(
        default=False,
        metadata=_help("export every input, even one unchanged since its last export",
                       run_only=True),
    )  # fmt: skip
    scheduler: str | None = field(
        default=None,
        metadata=_help("run on a Dask cluster: the scheduler's address (needs the dask extra)",
                       metavar="tcp://HOST:PORT", run_only=True),
    )  # fmt: skip

    # Options of distribution (catalog, bag) go below this line.
    # They change no export's output: ``run_only`` keeps them out of the manifest's key, so
    # asking for a catalog or bags never exports an article again. The catalog and the bags
    # are made after the exports from the manifest's records, and keep their own record of
    # what each was made from, these options included (distribute/state.py).
    catalog: bool = field(
        default=False,
        metadata=_help("write an OPDS catalog of the output folder (catalog.xml, catalog.json)",
                       run_only=True),
    )  # fmt: skip
    catalog_url: str | None = field(
        default=None,
        metadata=_help("the address the output folder is served at, for the catalog's self "
                       "links; default its file: URL", metavar="URL", run_only=True),
    )  # fmt: skip
    bag: str | None = field(
        default=None,
        metadata=_help("write a BagIt bag of each article: NAME.bag/, or NAME.bag.zip with "
                       "--bag zip", metavar="zip", optional_value="folder", run_only=True),
    )  # fmt: skip
    bagging_date: bool = field(
        default=False,
        metadata=_help("put today's date in each bag's Bagging-Date (by default none: the "
                       "same input gives the same bag)", run_only=True),
    )  # fmt: skip
    source_organization: str | None = field(
        default=None,
        metadata=_help("the bags' Source-Organization; default from the front matter",
                       metavar="NAME", run_only=True),
    )  # fmt: skip
    contact_name: str | None = field(
        default=None,
        metadata=_help("the bags' Contact-Name; default from the front matter",
                       metavar="NAME", run_only=True),
    )  # fmt: skip
    contact_email: str | None = field(
        default=None,
        metadata=_help("the bags' Contact-Email; default from the front matter",
                       metavar="ADDRESS", run_only=True),
    )  # fmt: skip

    def __post_init__(self) -> None:
        if self.numerals is not None and self.numerals not in PROFILES:
            choices = ", ".join(PROFILES)
            raise ExportError(f"unknown numerals {self.numerals}: choose from {choices}")
        if self.pdf_variant not in VARIANTS:
            raise ExportError(
                f"unknown PDF variant {self.pdf_variant}: choose from {', '.join(VARIANTS)}"
            )
        if self.jobs < 0:
            raise ExportError(f"--jobs must be 0 or more, not {self.jobs}")
        if self.scheduler is not None:
            _check_scheduler(self.scheduler)
        _check_limits(self)
        unknown = [name for name in self.formats if name not in FORMATS]
        if unknown or not self.formats:
            raise ExportError(
                f"unknown format {', '.join(unknown) or '(none)'}: choose from {', '.join(FORMATS)}"
            )
        self._check_print_options()
        _check_distribution(self)

    def _check_print_options(self) -> None:
        # The dataclass is frozen: store the canonical spellings (a5 -> A5) once, here.
        if self.paper is not None:
            if (paper := paper_name(self.paper)) is None:
                raise ExportError(f"unknown paper {self.paper}: choose from {', '.join(PAPERS)}")
            object.__setattr__(self, "paper", paper)
        if self.justify is not None and self.justify not in JUSTIFICATIONS:
            raise ExportError(
                f"unknown justification {self.justify}: choose from {', '.join(JUSTIFICATIONS)}"
            )
        try:
            if self.bleed is not None:
                object.__setattr__(self, "bleed", check_bleed(self.bleed))
            object.__setattr__(self, "marks", check_marks(self.marks))
        except ValueError as error:
            raise ExportError(str(error)) from None


# The protocols of Dask's comms (distributed.comm): any other scheme is a typing mistake.
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")


def _check_scheduler(address: str) -> None:
    scheme, separator, rest = address.partition("://")
    if not separator or not rest:
        raise ExportError(f"scheduler {address} is not an address: write it as tcp://HOST:PORT")
    if scheme not in SCHEDULER_SCHEMES:
        raise ExportError(
            f"scheduler {address}: unknown protocol {scheme}: write it as tcp://HOST:PORT "
            f"(or {', '.join(f'{name}://' for name in SCHEDULER_SCHEMES[1:])})"
        )


BAG_KINDS = ("folder", "zip")


def _check_distribution(options: Options) -> None:
    if options.bag is not None and options.bag not in BAG_KINDS:
        raise ExportError(f"unknown bag {options.bag}: choose from {', '.join(BAG_KINDS)}")
    if options.catalog_url is not None:
        scheme, _, rest = options.catalog_url.partition("://")
        if scheme not in ("http", "https", "file") or not rest:
            raise ExportError(
                f"--catalog-url {options.catalog_url} is not an address: write it as "
                "https://HOST/PATH/"
            )
    for name in ("source_organization", "contact_name", "contact_email"):
        value = getattr(options, name)
        if value is not None and (not value.strip() or any(c in value for c in "\r\n")):
            raise ExportError(f"--{name.replace('_', '-')} must be one line of text")


# The parser refuses to nest deeper than this (read/parser.py), so a deeper limit could not hold.
DEPTH_CEILING = 90


def _check_limits(options: Options) -> None:
    for name in ("max_size", "max_depth", "max_footnotes", "max_pixels"):
        if getattr(options, name) < 1:
            raise ExportError(f"--{name.replace('_', '-')} must be at least 1")
    if options.max_depth > DEPTH_CEILING:
        raise ExportError(f"--max-depth must be at most {DEPTH_CEILING}")
    if options.timeout < 0:
        raise ExportError("--timeout must be 0 (none) or a number of seconds")


OPTION_FIELDS = tuple(fields(Options))
# The options that change what is written: a change in any of them makes a rebuild.
OUTPUT_FIELDS = tuple(spec for spec in OPTION_FIELDS if not spec.metadata.get("run_only"))


def make_options(**values: object) -> Options:
    """Options from keyword arguments, accepting ``"pdf,epub"`` for ``formats`` (and
    ``"crop,cross"`` for ``marks``)."""
    for name in ("formats", "marks"):
        listed = values.get(name)
        if isinstance(listed, str):
            values[name] = tuple(part.strip() for part in listed.split(",") if part.strip())
        elif listed is not None:
            values[name] = tuple(listed)  # type: ignore[arg-type]
    if "out_dir" in values:
        values["out_dir"] = Path(values["out_dir"])  # type: ignore[arg-type]
    known = {f.name for f in OPTION_FIELDS}
    unknown = sorted(set(values) - known)
    if unknown:
        raise TypeError(f"unknown option {', '.join(unknown)}")
    return Options(**values)  # type: ignore[arg-type]
