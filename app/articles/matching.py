"""Is a draft a piece that is already stored? The identity rules, shared by one article and a
batch: a batch decides each item as if the items before it had been posted one by one."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import and_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.identity import fingerprint_bands, hamming, spelling_folded_title
from app.db.models import Article

# Bodies at most this many SimHash bits apart are the same text, scraped a little differently.
NEAR_DUPLICATE_BITS = 3
# At the same outlet and on the same publication day, bodies this close are one piece edited
# since (a sentence rewritten moves a few hundred words 5-10 bits; unrelated bodies sit about
# 32 bits apart, and 12 or fewer by chance about once in five million pairs).
EDITED_BITS = 12
# How alike (0-100, rapidfuzz ratio) an edited piece's headline must stay.
EDITED_TITLE_LIKENESS = 85
# Shorter bodies (teasers, paywall stubs) look alike without being the same piece.
FINGERPRINT_MIN_WORDS = 50
# A body is compared with at most this many stored bodies sharing a band, oldest first.
FINGERPRINT_CANDIDATES = 500
BANDS = (
    Article.fingerprint_band0,
    Article.fingerprint_band1,
    Article.fingerprint_band2,
    Article.fingerprint_band3,
)


@dataclass(frozen=True, slots=True)
class Probe:
    """What a draft is matched by."""

    url: str | None
    identity_key: str
    fingerprint: int
    outlet_id: int | None
    # Long enough for its fingerprint to mean something (FINGERPRINT_MIN_WORDS).
    fingerprinted: bool
    day: date
    spelt_title: str  # spelling_folded_title


def _outlet_day(outlet_id: int | None, day: date) -> tuple[int, date] | None:
    """Where a re-scrape is looked for among the outlet's pieces of the day; None without an
    outlet (every outlet-less piece of a day is too loose a crowd to match in)."""
    return (outlet_id, day) if outlet_id is not None else None


@dataclass(eq=False, slots=True)
class Piece:
    """A stored article, or one of this batch that is about to be (its id comes on insert)."""

    url: str | None
    identity_key: str
    outlet_id: int | None
    fingerprint: int
    # The original of a syndicated copy: a stored id, or a piece of this batch.
    syndicated_from: "int | Piece | None" = None
    id: int | None = None
    # Stored pieces in id order, then this batch's in input order: the order ids will have.
    rank: tuple[int, int] = (0, 0)
    day: date | None = None
    spelt_title: str = ""

    @property
    def was_stored(self) -> bool:
        return self.rank[0] == 0


@dataclass(frozen=True, slots=True)
class Decision:
    piece: Piece
    created: bool
    # "url", "outlet+title+day" (the title's spelling aside) or "fingerprint" when the piece
    # was already known.
    matched_by: str | None = None
    # True when a piece matched by outlet+title+day was stored without a URL and takes this one.
    url_added: bool = False


def article_id(reference: "int | Piece | None") -> int | None:
    return reference.id if isinstance(reference, Piece) else reference


@dataclass(slots=True)
class Pieces:
    """The pieces drafts may match, indexed by each identity rule."""

    by_url: dict[str, Piece] = field(default_factory=dict)
    by_key: dict[str, list[Piece]] = field(default_factory=dict)
    by_band: tuple[dict[int, list[Piece]], ...] = field(
        default_factory=lambda: tuple({} for _ in BANDS)
    )
    by_outlet_day: dict[tuple[int, date], list[Piece]] = field(default_factory=dict)
    stored: set[int] = field(default_factory=set)
    pending: int = 0

    @classmethod
    async def around(cls, session: AsyncSession, probes: Sequence[Probe]) -> "Pieces":
        """The stored pieces that any of the probes could match: by URL or identity key; for
        probes that neither of those finds, the outlet's pieces of the same day and, for
        fingerprinted ones, pieces sharing a fingerprint band."""
        pieces = cls()
        urls = {probe.url for probe in probes if probe.url}
        keys = {probe.identity_key for probe in probes}
        await pieces._load(session, or_(Article.url.in_(urls), Article.identity_key.in_(keys)))
        unmatched = [p for p in probes if not pieces._settled(p)]
        banded = [fingerprint_bands(p.fingerprint) for p in unmatched if p.fingerprinted]
        conditions = [
            column.in_({bands[n] for bands in banded}) for n, column in enumerate(BANDS) if banded
        ]
        conditions += [
            _published_on(*outlet_day, without_url=probe_has_url)
            for outlet_day, probe_has_url in {
                (_outlet_day(p.outlet_id, p.day), bool(p.url)) for p in unmatched
            }
            if outlet_day
        ]
        if conditions:
            await pieces._load(session, or_(*conditions))
        return pieces

    async def _load(self, session: AsyncSession, condition: Any) -> None:
        rows = await session.execute(
            select(
                Article.id,
                Article.url,
                Article.identity_key,
                Article.outlet_id,
                Article.fingerprint,
                Article.syndicated_from_id,
                Article.published_at,
                Article.title,
            ).where(condition)
        )
        for row in rows:
            if row.id not in self.stored:
                self.stored.add(row.id)
                piece = Piece(
                    *row[1:6],
                    id=row.id,
                    rank=(0, row.id),
                    day=row.published_at.date(),
                    spelt_title=spelling_folded_title(row.title),
                )
                self._index(piece)

    def _index(self, piece: Piece) -> None:
        if piece.url:
            self.by_url[piece.url] = piece
        self.by_key.setdefault(piece.identity_key, []).append(piece)
        for band, index in zip(fingerprint_bands(piece.fingerprint), self.by_band, strict=True):
            index.setdefault(band, []).append(piece)
        if piece.day and (outlet_day := _outlet_day(piece.outlet_id, piece.day)):
            self.by_outlet_day.setdefault(outlet_day, []).append(piece)

    def _of_outlet_day(self, probe: Probe) -> list[Piece]:
        outlet_day = _outlet_day(probe.outlet_id, probe.day)
        return sorted(self.by_outlet_day.get(outlet_day, ()), key=_rank) if outlet_day else []

    def _settled(self, probe: Probe) -> bool:
        # A match by identity key can still be lost within a batch (an earlier item may give
        # the stored piece a URL): only a URL match, or a key match for a probe without a URL,
        # spares the band lookup.
        decision = self.same(probe)
        return decision is not None and (decision.matched_by == "url" or not probe.url)

    def same(self, probe: Probe) -> Decision | None:
        """The same piece by URL, else by outlet + title + day, British or American spelling
        aside: a copy stored without a URL is the same piece, one stored under another URL is
        not."""
        if probe.url and probe.url in self.by_url:
            return Decision(self.by_url[probe.url], created=False, matched_by="url")
        keyed = self.by_key.get(probe.identity_key, ()) or [
            piece for piece in self._of_outlet_day(probe) if piece.spelt_title == probe.spelt_title
        ]
        unclaimed = [piece for piece in keyed if not (probe.url and piece.url)]
        if unclaimed:
            return Decision(min(unclaimed, key=_rank), created=False, matched_by="outlet+title+day")
        return None

    def near(self, probe: Probe) -> tuple[Piece | None, int | Piece | None]:
        """A near-identical body at the same outlet is the same piece; at another outlet it is
        a syndicated copy of the earliest stored original. (same piece, original)"""
        sharing = {
            piece
            for band, index in zip(fingerprint_bands(probe.fingerprint), self.by_band, strict=True)
            for piece in index.get(band, ())
        }
        candidates = sorted(sharing, key=_rank)[:FINGERPRINT_CANDIDATES]
        near = [
            p
            for p in candidates
            if hamming(p.fingerprint, probe.fingerprint) <= NEAR_DUPLICATE_BITS
        ]
        for piece in near:
            if piece.outlet_id == probe.outlet_id and not _other_urls(probe, piece):
                return piece, None
        return None, (near[0].syndicated_from or near[0]) if near else None

    def edited(self, probe: Probe) -> Piece | None:
        """The outlet's piece of the same day whose body is this one with an edit or two, under
        the same headline lightly reworded; not one stored under another URL (two URLs that
        close are two pieces of a series), nor one under another headline (a templated brief
        about another company is as close)."""
        return next(
            (
                piece
                for piece in self._of_outlet_day(probe)
                if hamming(piece.fingerprint, probe.fingerprint) <= EDITED_BITS
                and not (probe.url and piece.url)
                and fuzz.ratio(piece.spelt_title, probe.spelt_title) >= EDITED_TITLE_LIKENESS
            ),
            None,
        )

    def file(self, probe: Probe) -> Decision:
        """Match the probe, or make it a new piece that later probes can match."""
        decision = self.same(probe)
        if decision is not None:
            piece = decision.piece
            if probe.url and decision.matched_by == "outlet+title+day" and piece.url is None:
                piece.url = probe.url
                self.by_url[probe.url] = piece
                return Decision(
                    piece, created=False, matched_by=decision.matched_by, url_added=True
                )
            return decision
        original: int | Piece | None = None
        if probe.fingerprinted:
            same, original = self.near(probe)
            same = same or self.edited(probe)
            if same is not None:
                return Decision(same, created=False, matched_by="fingerprint")
        self.pending += 1
        piece = Piece(
            probe.url,
            probe.identity_key,
            probe.outlet_id,
            probe.fingerprint,
            syndicated_from=original,
            rank=(1, self.pending),
            day=probe.day,
            spelt_title=probe.spelt_title,
        )
        self._index(piece)
        return Decision(piece, created=True)


def _rank(piece: Piece) -> tuple[int, int]:
    return piece.rank


def _published_on(outlet_id: int, day: date, without_url: bool) -> Any:
    """The outlet's pieces of the day; only those without a URL for a probe with one (a piece
    under another URL is never the same by title or edited body)."""
    start = datetime.combine(day, time())
    return and_(
        Article.outlet_id == outlet_id,
        Article.published_at >= start,
        Article.published_at < start + timedelta(days=1),
        Article.url.is_(None) if without_url else true(),
    )


def _other_urls(probe: Probe, piece: Piece) -> bool:
    """Two pages under two URLs published days apart, however alike their bodies (a paywall
    stub is the body of many articles); on the same day they are one piece's versions (AMP,
    print, a moved page)."""
    if not (probe.url and piece.url and probe.url != piece.url) or piece.day is None:
        return False
    return abs((probe.day - piece.day).days) > 1
