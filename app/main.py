"""The ASGI application: `create_app()` wires routers, middleware and error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__
from app.articles import feeds_router
from app.articles import router as articles_router
from app.config import Settings, get_settings
from app.db.engines import open_database
from app.http import health_router
from app.http.guards import IdempotencyKeys, RateLimit
from app.http.middleware import (
    BodySizeLimit,
    ConditionalGet,
    RequestHeadLimits,
    SecurityHeaders,
)
from app.http.openapi import NewsdbAPI
from app.http.problems import install_problem_handlers
from app.http.write_position import WritePosition
from app.ingest import router as ingest_router
from app.vocabulary import people_router, taxonomies_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_database(settings) as app.state.database:
            yield

    app = NewsdbAPI(
        title="newsdb",
        version=__version__,
        summary="A news-analysis article database: raw-text ingest, taxonomies, search.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(health_router.router)
    app.include_router(articles_router.router)
    app.include_router(taxonomies_router.router)
    app.include_router(ingest_router.router)
    app.include_router(people_router.router)
    app.include_router(feeds_router.router)
    # Outermost last: security headers on everything, CORS on every answer (a 413 or a 429
    # too), then the URL and header limits, the body limit, the write position for replicas,
    # the rate limit, idempotency, and ETags nearest the routes.
    app.add_middleware(
        ConditionalGet,
        cache_control="private, no-cache" if settings.require_key_for_reads else "public, no-cache",
    )
    app.add_middleware(IdempotencyKeys, database=lambda: app.state.database)
    if settings.rate_limit_per_minute:
        app.add_middleware(
            RateLimit,
            database=lambda: app.state.database,
            per_minute=settings.rate_limit_per_minute,
        )
    if settings.database_read_url:
        app.add_middleware(WritePosition, primary=lambda: app.state.database.writer)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestHeadLimits)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-None-Match",
                "Idempotency-Key",
                "Newsdb-Min-LSN",
            ],
            expose_headers=["ETag", "Retry-After", "Location", "Idempotent-Replayed", "Newsdb-LSN"],
        )
    app.add_middleware(SecurityHeaders)
    return app
