"""The page's `<meta>` and `<link>` statements, read once into plain lookups."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.ingest.pipeline.html.page_index import PageIndex

# Longer values are base64 images or tracking blobs, never metadata.
MAX_VALUE_CHARS = 2_000


@dataclass(frozen=True, slots=True)
class MetaTags:
    """Every `<meta>` value by its lowercased name/property/itemprop/http-equiv, in page order,
    and the `<link rel>` targets by lowercased rel."""

    values: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)

    def first(self, names: Iterable[str]) -> tuple[str, str] | None:
        """(name, value) of the first of `names` (in the given order) the page states."""
        for name in names:
            for value in self.values.get(name, ()):
                if value:
                    return name, value
        return None

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])


def read_meta_tags(index: PageIndex) -> MetaTags:
    tags = MetaTags()
    for element in index.tagged("meta"):
        value = " ".join((element.get("content") or "")[:MAX_VALUE_CHARS].split())
        if not value:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().lower()
            if key:
                tags.values.setdefault(key, []).append(value)
    for element in index.tagged("link"):
        href = (element.get("href") or "").strip()
        if not href or len(href) > MAX_VALUE_CHARS:
            continue
        for rel in (element.get("rel") or "").lower().split():
            tags.links.setdefault(rel, []).append(href)
    return tags
