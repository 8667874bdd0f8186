"""Taxonomies and their controlled vocabularies."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.identity import name_key
from app.db.models import Tag, Taxonomy
from app.vocabulary.browse import TAXONOMY_COLUMNS
from app.vocabulary.resolve import NamedTag, tag_ids, taxonomy_ids


@dataclass(frozen=True, slots=True)
class VocabularyLoad:
    taxonomy: dict[str, object]
    created: bool
    added: list[str]


async def load_vocabulary(
    session: AsyncSession, name: str, tags: Sequence[str], description: str | None = None
) -> VocabularyLoad:
    """Create the taxonomy if absent and add the tags it lacks; never deletes, so loading the
    same list again changes nothing. Loaded tags are the most trusted vocabulary."""
    slug = name_key(name)
    created = await session.scalar(select(Taxonomy.id).where(Taxonomy.slug == slug)) is None
    taxonomy_id = (await taxonomy_ids(session, [name]))[name]
    if description is not None:
        await session.execute(
            update(Taxonomy).where(Taxonomy.id == taxonomy_id).values(description=description)
        )
    known = set(
        (await session.scalars(select(Tag.slug).where(Tag.taxonomy_id == taxonomy_id))).all()
    )
    added = list(dict.fromkeys(tag for tag in tags if name_key(tag) not in known))
    await tag_ids(session, [NamedTag(name, tag, source="vocabulary") for tag in tags])
    return VocabularyLoad(await taxonomy_summary(session, taxonomy_id), created, added)


async def taxonomy_summary(session: AsyncSession, taxonomy_id: int) -> dict[str, object]:
    row = (await session.execute(select(*TAXONOMY_COLUMNS).where(Taxonomy.id == taxonomy_id))).one()
    return dict(row._mapping)
