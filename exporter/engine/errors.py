"""The error of a WeasyPrint or pydyf other than the one the patches were written for."""

from __future__ import annotations

from ..errors import ExportError


class EngineMismatchError(ExportError):
    """WeasyPrint or pydyf is not the release, or a private name not the shape, a patch
    was written for: the render is not attempted."""
