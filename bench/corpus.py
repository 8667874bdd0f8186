"""A realistic synthetic corpus, written in bulk (Core executemany, not one HTTP call per
article): outlets, authors, two taxonomies with Zipf-popular tags, ~8 tags and ~600 words per
article, dates over ten years. `python -m bench.corpus DATABASE_URL SIZE`."""

import hashlib
import random
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import Engine, insert, text

from app.articles.excerpt import excerpt
from app.articles.identity import fingerprint_columns
from app.db.backup import reset_sequences
from app.db.engines import make_sync_engine
from app.db.migrate import upgrade
from app.db.models import Article, ArticleAuthor, ArticleTag, Author, Base, Outlet, Tag, Taxonomy
from app.db.tag_bits import tag_bits

OUTLETS, AUTHORS = 200, 2_000
TAXONOMIES = {"Topics": 5_000, "Regions": 500}
TAGS_PER_ARTICLE = {"Topics": 6, "Regions": 2}
WORDS_PER_BODY = 600
# A word in about 2% of bodies: the full-text search benchmark looks for it.
RARE_WORD, RARE_SHARE = "zephyrine", 0.02
START = datetime(2015, 1, 1)
CHUNK = 2_000
SEARCH_INDEX = "ix_articles_search_vector"
Row = dict[str, Any]


def vocabulary(rng: random.Random, size: int = 5_000) -> list[str]:
    syllables = ["ka", "ri", "mo", "tan", "el", "sa", "por", "vin", "de", "lu", "ash", "or"]
    return list({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)})[
        :size
    ]


def _zipf_weights(count: int) -> list[float]:
    return list(accumulate(1 / rank for rank in range(1, count + 1)))


def generate(database_url: str, size: int, seed: int = 7) -> dict[str, Any]:
    """Fill an empty database; returns facts the benchmarks need (popular and rare tags...)."""
    upgrade(database_url)
    rng = random.Random(seed)
    engine = make_sync_engine(database_url)
    words = vocabulary(rng)
    tag_ids, weights = tag_pool()
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(
            insert(Outlet),
            [
                {"id": i, "name": f"Outlet {i}", "slug": f"outlet-{i}"}
                for i in range(1, OUTLETS + 1)
            ],
        )
        connection.execute(
            insert(Author),
            [
                {"id": i, "name": f"Author {i}", "slug": f"author-{i}"}
                for i in range(1, AUTHORS + 1)
            ],
        )
        for number, (name, ids) in enumerate(tag_ids.items(), 1):
            connection.execute(
                insert(Taxonomy), [{"id": number, "name": name, "slug": name.lower()}]
            )
            connection.execute(
                insert(Tag),
                [
                    {
                        "id": tag,
                        "taxonomy_id": number,
                        "name": tag_name(name, tag),
                        "slug": f"{name.lower()}-{tag}",
                        "origin": "given",
                    }
                    for tag in ids
                ],
            )

    def chunk(offset: int) -> tuple[list[Row], list[Row], list[Row]]:
        numbers = range(offset + 1, min(size, offset + CHUNK) + 1)
        return _chunk(specs(rng, words, tag_ids, weights, numbers))

    with _without_search_index(engine), ThreadPoolExecutor(1) as builder:
        # The next chunk is built while this one is written (the driver lets go of the GIL).
        upcoming = builder.submit(chunk, 0)
        for offset in range(0, size, CHUNK):
            articles, links, bylines = upcoming.result()
            if offset + CHUNK < size:
                upcoming = builder.submit(chunk, offset + CHUNK)
            with engine.begin() as connection:
                connection.execute(insert(Article), articles)
                connection.execute(insert(ArticleTag), links)
                connection.execute(insert(ArticleAuthor), bylines)
    elapsed = time.perf_counter() - started
    _reset_sequences(engine)
    # Planner statistics and, on PostgreSQL, the visibility map (without it an index-only scan
    # reads each row's table page too): what a live database's autovacuum keeps.
    analyze = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(analyze))
    engine.dispose()
    return {
        "articles": size,
        "seconds": round(elapsed, 1),
        "articles_per_second": round(size / elapsed),
        "popular_tag": "topics-1",  # Zipf rank 1: about a fifth of the articles
        "second_tag": "topics-2",
        "rare_tag": f"topics-{TAXONOMIES['Topics'] - 1}",
        "rare_word": RARE_WORD,
        "middle_article": size // 2,
    }


@dataclass(frozen=True, slots=True)
class Spec:
    """One synthetic article, before it becomes rows (the bulk load) or JSON (the ingest bench)."""

    number: int
    title: str
    body: str
    published: datetime
    outlet: int
    fingerprint: int
    tags: dict[str, list[int]]
    authors: list[int]


def specs(
    rng: random.Random,
    words: list[str],
    tag_ids: dict[str, list[int]],
    weights: dict[str, list[float]],
    numbers: range,
) -> Iterator[Spec]:
    span = (datetime(2025, 1, 1) - START).total_seconds()
    for number in numbers:
        published = START + timedelta(seconds=rng.random() * span)
        body_words = rng.choices(words, k=WORDS_PER_BODY)
        if rng.random() < RARE_SHARE:
            body_words[rng.randrange(WORDS_PER_BODY)] = RARE_WORD
        body = "\n\n".join(
            " ".join(body_words[i : i + 60]) + "." for i in range(0, WORDS_PER_BODY, 60)
        )
        fingerprint = rng.getrandbits(64) - (1 << 63)
        title = " ".join(rng.choices(words, k=8)).capitalize()
        outlet = rng.randint(1, OUTLETS)
        tags = {
            name: sorted(set(rng.choices(tag_ids[name], cum_weights=weights[name], k=count)))
            for name, count in TAGS_PER_ARTICLE.items()
        }
        authors = sorted(set(rng.choices(range(1, AUTHORS + 1), k=rng.randint(1, 2))))
        yield Spec(number, title, body, published, outlet, fingerprint, tags, authors)


def tag_name(taxonomy: str, tag: int) -> str:
    return f"{taxonomy} {tag}"


def tag_pool() -> tuple[dict[str, list[int]], dict[str, list[float]]]:
    """Tag ids per taxonomy, numbered across taxonomies, and their Zipf weights."""
    tag_ids: dict[str, list[int]] = {}
    next_id = 1
    for name, count in TAXONOMIES.items():
        tag_ids[name] = list(range(next_id, next_id + count))
        next_id += count
    return tag_ids, {name: _zipf_weights(len(ids)) for name, ids in tag_ids.items()}


def _chunk(specs: Iterator[Spec]) -> tuple[list[Row], list[Row], list[Row]]:
    articles, links, bylines = [], [], []
    for spec in specs:
        articles.append(
            {
                "id": spec.number,
                "url": f"https://example.com/{spec.number}",
                "title": spec.title,
                "subtitle": None,
                "body": spec.body,
                "excerpt": excerpt(spec.body),
                "published_at": spec.published,
                "published_time_known": True,
                "outlet_id": spec.outlet,
                "identity_key": hashlib.sha256(str(spec.number).encode()).hexdigest(),
                **fingerprint_columns(spec.fingerprint),
                "created_at": spec.published,
                "updated_at": spec.published,
            }
        )
        tags = [tag for chosen in spec.tags.values() for tag in chosen]
        links += [
            {
                "article_id": spec.number,
                "tag_id": tag,
                "position": position,
                "source": "given",
                "published_at": spec.published,
                "outlet_id": spec.outlet,
                "tag_bits": tag_bits(tags),
            }
            for position, tag in enumerate(tags)
        ]
        bylines += [
            {
                "article_id": spec.number,
                "author_id": author,
                "position": position,
                "published_at": spec.published,
            }
            for position, author in enumerate(spec.authors)
        ]
    return articles, links, bylines


@contextmanager
def _without_search_index(engine: Engine) -> Iterator[None]:
    """On PostgreSQL the GIN index is built once after the load: updating it row by row was
    most of the load's time."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.begin() as connection:
        definition = connection.scalar(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": SEARCH_INDEX}
        )
        connection.execute(text(f"DROP INDEX {SEARCH_INDEX}"))
    yield
    with engine.begin() as connection:
        connection.execute(text(definition))


def _reset_sequences(engine: Engine) -> None:
    with engine.begin() as connection:
        reset_sequences(connection, {table.name: table for table in Base.metadata.sorted_tables})


if __name__ == "__main__":
    print(generate(sys.argv[1], int(sys.argv[2])))
