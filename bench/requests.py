"""What a benchmark run asks: many topics and many date bounds (a frontend's topic pages), so
no response cache can stand in for the query path. newsdb and Datasette get the same
questions, each a list of paths that wrk walks round-robin (`bench/paths.lua`)."""

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

PATHS_PER_QUESTION = 500
# Topic pages are for the tags people follow: the 500 most used of the corpus's 5,000 topics.
FOLLOWED_TOPICS = 500
RARE_TOPICS = (4_000, 5_000)
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2024, 12, 31)

Paths = list[str]
# (a seeded generator, the corpus's article count) → one request's parameters
Draw = Callable[[random.Random, int], dict[str, Any]]


def _topic(rng: random.Random, articles: int = 0) -> dict[str, Any]:
    return {"tag": rng.randint(1, FOLLOWED_TOPICS)}


def _rare_topic(rng: random.Random, articles: int = 0) -> dict[str, Any]:
    return {"tag": rng.randint(*RARE_TOPICS)}


def _topic_and_dates(rng: random.Random, articles: int = 0) -> dict[str, Any]:
    start = FIRST_DAY + timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days - 30))
    end = min(start + timedelta(days=rng.randint(30, 365)), LAST_DAY)
    return _topic(rng, articles) | {"after": start.isoformat(), "before": end.isoformat()}


def _two_topics(rng: random.Random, articles: int = 0) -> dict[str, Any]:
    first, second = rng.sample(range(1, FOLLOWED_TOPICS + 1), 2)
    return {"tag": first, "other": second}


# name → (parameters drawn per request, newsdb's path, Datasette's path for the same question)
QUESTIONS: dict[str, tuple[Draw, str, str | None]] = {
    "article detail": (
        lambda rng, articles: {"id": rng.randint(1, articles)},
        "/v1/articles/{id}",
        "/bench/article.json?id={id}&_shape=array",
    ),
    "topic, newest 20": (
        _topic,
        "/v1/articles?tag=topics:topics-{tag}&total=false",
        "/bench/tag_newest.json?tag=topics-{tag}&_shape=array",
    ),
    "topic + dates": (
        _topic_and_dates,
        "/v1/articles?tag=topics:topics-{tag}&published_after={after}&published_before={before}"
        "&total=false",
        "/bench/tag_dates.json?tag=topics-{tag}&after={after}&before={before}&_shape=array",
    ),
    "two topics": (
        _two_topics,
        "/v1/articles?tag=topics:topics-{tag}&tag=topics:topics-{other}&total=false",
        "/bench/two_tags.json?tag=topics-{tag}&other=topics-{other}&_shape=array",
    ),
    "topic without another": (
        _two_topics,
        "/v1/articles?tag=topics:topics-{tag}&exclude_tag=topics:topics-{other}&total=false",
        "/bench/tag_without.json?tag=topics-{tag}&other=topics-{other}&_shape=array",
    ),
    "rare topic": (
        _rare_topic,
        "/v1/articles?tag=topics:topics-{tag}&total=false",
        "/bench/tag_newest.json?tag=topics-{tag}&_shape=array",
    ),
    "topic + outlet facet": (
        _topic,
        "/v1/articles?tag=topics:topics-{tag}&facets=outlet&total=false",
        "/bench/tagged.json?tag_slug=topics-{tag}&_facet=outlet&_size=20&_sort_desc=published_at",
    ),
    "topic + facets (topics, outlet)": (
        _topic,
        "/v1/articles?tag=topics:topics-{tag}&facets=topics,outlet&total=false",
        None,
    ),
    "timeline": (
        _topic,
        "/v1/taxonomies/topics/tags/topics-{tag}/timeline?interval=month",
        None,
    ),
    "full-text search": (
        lambda rng, articles: {"word": "zephyrine"},
        "/v1/articles?q={word}&total=false",
        "/bench/search.json?q={word}&_shape=array",
    ),
}


def questions(articles: int, seed: int = 11) -> dict[str, tuple[Paths, Paths | None]]:
    """Question name → (newsdb's paths, Datasette's paths for the same draws, or None)."""
    rng = random.Random(seed)
    asked: dict[str, tuple[Paths, Paths | None]] = {}
    for name, (draw, newsdb, datasette) in QUESTIONS.items():
        draws = [draw(rng, articles) for _ in range(PATHS_PER_QUESTION)]
        asked[name] = (
            [newsdb.format(**d) for d in draws],
            [datasette.format(**d) for d in draws] if datasette else None,
        )
    return asked
