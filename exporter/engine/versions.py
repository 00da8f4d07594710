"""The WeasyPrint and pydyf the patches of this package were written for, and the check
that the ones installed are those.

Every patch here replaces a private name (a module function, a property) whose shape and
meaning are WeasyPrint's and pydyf's to change in any release; on another release a patch
could fail, or worse, work and change what is drawn. So a patched render runs only on the
releases below, and says how to get them, or how to go without the patches.
"""

from __future__ import annotations

from .errors import EngineMismatchError

# Each library the patches touch, and its release they were written and tested for.
WRITTEN_FOR = {"WeasyPrint": "70.0", "pydyf": "0.13.0"}

PIN = "pip install " + " ".join(f"{name.lower()}=={v}" for name, v in WRITTEN_FOR.items())
UNPATCHED_FLAG = "--unpatched-engine"


def installed_versions() -> dict[str, str]:
    """The release of each library as it reports itself now (read each time: a program
    may load another one, and tests set it)."""
    import pydyf

    from .libraries import load_weasyprint

    return {"WeasyPrint": load_weasyprint().__version__, "pydyf": pydyf.__version__}


def _listed(versions: dict[str, str]) -> str:
    return " and ".join(f"{name} {version}" for name, version in versions.items())


def check_versions() -> None:
    """Raise ``EngineMismatchError`` unless the installed releases are the ones written for."""
    found = installed_versions()
    if found == WRITTEN_FOR:
        return
    raise EngineMismatchError(
        f"found {_listed(found)}, but the PDF engine's patches were written for "
        f"{_listed(WRITTEN_FOR)}: install those ({PIN}), or export with {UNPATCHED_FLAG} "
        "to run WeasyPrint as it is, without the exact copy-out text layer and slower"
    )
