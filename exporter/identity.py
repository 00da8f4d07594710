"""Identifiers derived from content: the same source always gets the same identifier."""

from __future__ import annotations

import hashlib
import uuid

from .model import Article

# A fixed namespace for the identifiers we derive from content (RFC 4122 version 5).
IDENTIFIER_NAMESPACE = uuid.UUID("6f1c63d4-1d8f-5b8e-9a51-3f2b0c7d4e21")


def content_identifier(article: Article) -> str:
    """The front matter's identifier, else a ``urn:uuid`` derived from the source bytes."""
    if article.metadata.identifier:
        return article.metadata.identifier
    digest = hashlib.sha256(article.source.raw).hexdigest()
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, digest)}"
