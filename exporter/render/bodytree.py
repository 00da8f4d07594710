"""The article's body parsed once per process, for every target rendered from it: the
font faces and characters it needs are read from the one tree, and each target changes a
copy of it (a copy of an lxml tree costs a small part of a parse)."""

from __future__ import annotations

import copy
import functools

from lxml import etree

from ..fragment import parse_fragment


@functools.lru_cache(maxsize=2)
def shared_body(body_html: str) -> etree._Element:
    """The parsed body, shared by every caller: read it, never change it."""
    return parse_fragment(body_html)


def own_body(body_html: str) -> etree._Element:
    """The parsed body as a tree of the caller's own, to change."""
    return copy.deepcopy(shared_body(body_html))
