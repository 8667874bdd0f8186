"""Is a draft a piece that is already stored? The identity rules, shared by one article and a
batch: a batch decides each item as if the items before it had been posted one by one."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity import fingerprint_bands, hamming
from app.models import Article

# Bodies at most this many SimHash bits apart are the same text, scraped a little differently.
NEAR_DUPLICATE_BITS = 3
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

    @property
    def was_stored(self) -> bool:
        return self.rank[0] == 0


@dataclass(frozen=True, slots=True)
class Decision:
    piece: Piece
    created: bool
    # "url", "outlet+title+day" or "fingerprint" when the piece was already known.
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
    stored: set[int] = field(default_factory=set)
    pending: int = 0

    @classmethod
    async def around(cls, session: AsyncSession, probes: Sequence[Probe]) -> "Pieces":
        """The stored pieces that any of the probes could match: by URL or identity key, and
        by fingerprint band for fingerprinted probes that neither of those finds."""
        pieces = cls()
        urls = {probe.url for probe in probes if probe.url}
        keys = {probe.identity_key for probe in probes}
        await pieces._load(session, or_(Article.url.in_(urls), Article.identity_key.in_(keys)))
        unmatched = [p for p in probes if p.fingerprinted and not pieces._settled(p)]
        if unmatched:
            banded = [fingerprint_bands(probe.fingerprint) for probe in unmatched]
            await pieces._load(
                session,
                or_(*(column.in_({b[n] for b in banded}) for n, column in enumerate(BANDS))),
            )
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
            ).where(condition)
        )
        for row in rows:
            if row.id not in self.stored:
                self.stored.add(row.id)
                piece = Piece(*row[1:], id=row.id, rank=(0, row.id))
                self._index(piece)

    def _index(self, piece: Piece) -> None:
        if piece.url:
            self.by_url[piece.url] = piece
        self.by_key.setdefault(piece.identity_key, []).append(piece)
        for band, index in zip(fingerprint_bands(piece.fingerprint), self.by_band, strict=True):
            index.setdefault(band, []).append(piece)

    def _settled(self, probe: Probe) -> bool:
        # A match by identity key can still be lost within a batch (an earlier item may give
        # the stored piece a URL): only a URL match, or a key match for a probe without a URL,
        # spares the band lookup.
        decision = self.same(probe)
        return decision is not None and (decision.matched_by == "url" or not probe.url)

    def same(self, probe: Probe) -> Decision | None:
        """The same piece by URL, else by outlet + title + day: a copy stored without a URL is
        the same piece, one stored under another URL is not."""
        if probe.url and probe.url in self.by_url:
            return Decision(self.by_url[probe.url], created=False, matched_by="url")
        keyed = [
            piece
            for piece in self.by_key.get(probe.identity_key, ())
            if not (probe.url and piece.url)
        ]
        if keyed:
            return Decision(min(keyed, key=_rank), created=False, matched_by="outlet+title+day")
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
            if piece.outlet_id == probe.outlet_id:
                return piece, None
        return None, (near[0].syndicated_from or near[0]) if near else None

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
        )
        self._index(piece)
        return Decision(piece, created=True)


def _rank(piece: Piece) -> tuple[int, int]:
    return piece.rank
