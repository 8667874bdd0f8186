"""Tag curation: rename, merge, set a parent. Old slugs keep resolving as aliases."""

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.articles.identity import name_key
from app.db.models import ArticleTag, Tag, TagAlias
from app.db.tag_bits import any_bit, tag_bit
from app.db.upsert import insert_missing
from app.errors import Conflict, InvalidInput
from app.vocabulary.browse import resolve_tag, taxonomy_id


async def _keep_alias(session: AsyncSession, taxonomy: int, slug: str, tag_id: int) -> None:
    await session.execute(
        delete(TagAlias).where(TagAlias.taxonomy_id == taxonomy, TagAlias.slug == slug)
    )
    await insert_missing(
        session, TagAlias, [{"taxonomy_id": taxonomy, "slug": slug, "tag_id": tag_id}]
    )


async def rename_tag(session: AsyncSession, taxonomy: str, slug: str, name: str) -> int:
    tax = await session.run_sync(taxonomy_id, taxonomy)
    tag_id = await session.run_sync(resolve_tag, taxonomy, slug)
    old_slug = await session.scalar(select(Tag.slug).where(Tag.id == tag_id))
    new_slug = name_key(name)
    if new_slug != old_slug:
        taken = await session.scalar(
            select(Tag.id).where(Tag.taxonomy_id == tax, Tag.slug == new_slug, Tag.id != tag_id)
        )
        if taken is not None:
            raise Conflict(f"{new_slug!r} is another tag already: merge into it instead")
        await session.execute(
            delete(TagAlias).where(TagAlias.taxonomy_id == tax, TagAlias.slug == new_slug)
        )
    await session.execute(update(Tag).where(Tag.id == tag_id).values(name=name, slug=new_slug))
    if old_slug and new_slug != old_slug:
        await _keep_alias(session, tax, old_slug, tag_id)
    return tag_id


async def set_parent(session: AsyncSession, taxonomy: str, slug: str, parent: str | None) -> int:
    tag_id = await session.run_sync(resolve_tag, taxonomy, slug)
    parent_id = await session.run_sync(resolve_tag, taxonomy, parent) if parent else None
    ancestor = parent_id
    while ancestor is not None:  # a tag may not end up its own ancestor
        if ancestor == tag_id:
            raise InvalidInput(f"{parent!r} is {slug!r} or one of its descendants")
        ancestor = await session.scalar(select(Tag.parent_id).where(Tag.id == ancestor))
    await session.execute(update(Tag).where(Tag.id == tag_id).values(parent_id=parent_id))
    return tag_id


async def merge_tag(session: AsyncSession, taxonomy: str, slug: str, into: str) -> int:
    """Move every article of `slug` to `into`, then remove `slug`, which keeps resolving."""
    tax = await session.run_sync(taxonomy_id, taxonomy)
    source = await session.run_sync(resolve_tag, taxonomy, slug)
    target = await session.run_sync(resolve_tag, taxonomy, into)
    if source == target:
        raise InvalidInput("a tag cannot be merged into itself")
    # A link to `slug` written while the merge runs would miss the bit below and the move (or
    # vanish with the tag). Locked first, the tag makes a writer that has linked to it finish
    # before the merge reads the links, and one that links to it later wait for the merge
    # (a foreign key check shares the lock) and find the tag gone.
    await session.execute(select(Tag.id).where(Tag.id == source).with_for_update())
    # The articles of `slug` are `into`'s now: their links' tag bits take its bit.
    moved = select(ArticleTag.article_id).where(ArticleTag.tag_id == source)
    await session.execute(
        update(ArticleTag)
        .where(ArticleTag.article_id.in_(moved), ~any_bit(ArticleTag.tag_bits, tag_bit(target)))
        .values(tag_bits=ArticleTag.tag_bits.op("|")(tag_bit(target)))
    )
    already = aliased(ArticleTag)
    await session.execute(
        update(ArticleTag)
        .where(
            ArticleTag.tag_id == source,
            ~exists().where(already.article_id == ArticleTag.article_id, already.tag_id == target),
        )
        .values(tag_id=target)
    )
    await session.execute(delete(ArticleTag).where(ArticleTag.tag_id == source))
    await session.execute(update(Tag).where(Tag.parent_id == source).values(parent_id=target))
    await session.execute(update(TagAlias).where(TagAlias.tag_id == source).values(tag_id=target))
    source_slug = await session.scalar(select(Tag.slug).where(Tag.id == source))
    await session.execute(delete(Tag).where(Tag.id == source))
    if source_slug:
        await _keep_alias(session, tax, source_slug, target)
    return target
