"""Each tag link carries a bit set of all its article's tags (migration 0016): bit `tag_id %
63` for each. A listing that walks one tag's index and asks for (or excludes) another reads
the walked row's bits first, and probes the other tag's link only when its bit is set: two
popular topics that rarely meet no longer cost a probe for each article of the rarer one.

The bits may hold more than the article's tags (a bit left over from a tag it lost), never
less: a set bit only says "probe"; a clear one says "not tagged". So every write of links sets
the bits of all the article's tags, and whatever moves a link to another tag adds its bit."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, cast, func, literal, select
from sqlalchemy.orm import aliased

from app.db.models import ArticleTag

# 63, not 64: the bits stay a non-negative BIGINT on both engines.
_BITS = 63


def tag_bit(tag_id: int) -> int:
    return 1 << (tag_id % _BITS)


def tag_bits(tag_ids: Iterable[int]) -> int:
    bits = 0
    for tag_id in tag_ids:
        bits |= tag_bit(tag_id)
    return bits


def any_bit(bits: Any, mask: Any) -> ColumnElement[bool]:
    """Whether `bits` and `mask` share a bit."""
    shared: ColumnElement[bool] = bits.op("&")(mask) != 0
    return shared


def article_bits() -> ColumnElement[int]:
    """The bits of all the tags of the link row's article, worked out by the database (a
    sum of distinct powers of two is their OR, and both engines have SUM)."""
    link = aliased(ArticleTag, name="sibling")
    power = cast(literal(1), BigInteger).op("<<")(link.tag_id % _BITS)
    return cast(
        select(func.sum(power.distinct()))
        .where(link.article_id == ArticleTag.article_id)
        .scalar_subquery(),
        BigInteger,
    )
