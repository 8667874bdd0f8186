"""The contiguous run of a page's lines that holds the article: the one maximising the summed
line scores (`page_lines`), then trimmed of slight prose a gap of chrome cuts off."""

import math
from collections.abc import Sequence

# Chrome lines in a row that part two pieces of prose, and how much prose an end piece needs.
_GAP_LINES = 2
_MIN_EDGE_PROSE = 30


def best_runs(values: Sequence[float]) -> list[tuple[float, int]]:
    """For each start, the best (sum, end) of a run beginning there: one backward pass."""
    runs: list[tuple[float, int]] = [(0.0, len(values))] * (len(values) + 1)
    for index in range(len(values) - 1, -1, -1):
        after, end = runs[index + 1]
        runs[index] = (values[index] + after, end) if after > 0 else (values[index], index + 1)
    return runs[:-1]


def best_region(values: Sequence[float], enough: float = math.inf) -> tuple[int, int]:
    """[start, end) of the contiguous run with the highest sum (Kadane); (0, 0) if none is
    positive. Reader comments come after the article: once a run with `enough` prose is
    found, a comments heading ends the search."""
    best, best_span = 0.0, (0, 0)
    running, start = 0.0, 0
    for index, value in enumerate(values):
        if value == -math.inf and best >= enough:
            break
        if running <= 0:
            running, start = 0.0, index
        running += value
        if running > best:
            best, best_span = running, (start, index + 1)
    return best_span


def trim_edges(values: Sequence[float], start: int, end: int) -> tuple[int, int]:
    """The run less a slight piece of prose at either end that a gap of chrome cuts off from
    the rest: a standfirst, a caption or a dateline above the article, a note below it."""
    pieces = _pieces(values, start, end)
    while len(pieces) > 1 and _prose(values, pieces[0]) < _MIN_EDGE_PROSE:
        pieces.pop(0)
    while len(pieces) > 1 and _prose(values, pieces[-1]) < _MIN_EDGE_PROSE:
        pieces.pop()
    return (pieces[0][0], pieces[-1][1]) if pieces else (start, end)


def _pieces(values: Sequence[float], start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) spans of the run between gaps (runs of at least _GAP_LINES costly lines)."""
    pieces: list[tuple[int, int]] = []
    piece_start, costly = start, 0
    for index in range(start, end):
        if values[index] < 0:
            costly += 1
            continue
        if costly >= _GAP_LINES and index - costly > piece_start:
            pieces.append((piece_start, index - costly))
            piece_start = index
        elif costly >= _GAP_LINES:
            piece_start = index
        costly = 0
    pieces.append((piece_start, end - costly))
    return pieces


def _prose(values: Sequence[float], piece: tuple[int, int]) -> float:
    return sum(value for value in values[piece[0] : piece[1]] if value > 0)
