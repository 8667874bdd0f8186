"""Extraction quality and speed in-process, on the real-pages development set (no server):
body F1 scored the way the public article-extraction benchmark does, metadata against the
hand-checked labels, pages per second on one core.

    python -m bench.extraction html            # every page
    python -m bench.extraction text
    python -m bench.extraction html --show ID  # one page: expected vs extracted body

REALPAGES_DIR (../shared/realpages beside the checkout) holds the pages and score.py."""

import gzip
import importlib.util
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from app.ingest.pipeline.from_text import parse_article
from app.ingest.pipeline.html import extract_body, extract_metadata, parse_document

REALPAGES = Path(
    os.environ.get("REALPAGES_DIR", Path(__file__).resolve().parents[2] / "shared" / "realpages")
)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", REALPAGES / "score.py")
    assert spec and spec.loader, f"no score.py in {REALPAGES}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract(mode: str, page: str, url: str) -> dict[str, Any]:
    """What the server would answer for the page: body and metadata as plain values."""
    if mode == "text":
        parsed = parse_article((REALPAGES / "text" / f"{page}.txt").read_text(), url=url)
        return {
            "body": parsed.body,
            "title": parsed.title,
            "published_at": parsed.published_at.isoformat() if parsed.published_at else None,
            "authors": [{"name": name} for name in parsed.byline],
        }
    source = gzip.decompress((REALPAGES / "html" / f"{page}.html.gz").read_bytes()).decode()
    tree = parse_document(source)
    if tree is None:
        return {"body": ""}
    metadata = extract_metadata(tree, url)
    body = extract_body(tree, url, metadata)
    return {
        "body": "\n\n".join(body.paragraphs),
        "title": metadata.title,
        "published_at": metadata.published_at.isoformat() if metadata.published_at else None,
        "authors": [{"name": name} for name in metadata.authors],
        "outlet": {"name": metadata.outlet} if metadata.outlet else None,
    }


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "html"
    show = sys.argv[sys.argv.index("--show") + 1] if "--show" in sys.argv else None
    score = _scorer()
    truth = json.loads((REALPAGES / "ground-truth.json").read_text())
    labels = json.loads((REALPAGES / "metadata.json").read_text())
    scores, worst, meta, seconds, filed = [], [], Counter[str](), 0.0, 0
    for page, item in truth.items():
        if show and not page.startswith(show):
            continue
        started = time.perf_counter()
        article = extract(mode, page, item["url"])
        seconds += time.perf_counter() - started
        result = score.tp_fp_fn(item["articleBody"], article["body"])
        scores.append(result)
        worst.append((result[0], page[:12], item["url"]))
        if show:
            print("EXPECTED:\n" + item["articleBody"] + "\n\nEXTRACTED:\n" + article["body"])
            print({k: v for k, v in article.items() if k != "body"})
        filed += bool(article["body"] and article.get("title"))
        if page in labels:
            want = labels[page]
            meta["pages"] += 1
            for field, right in _metadata_checks(score, article, want).items():
                meta[field] += right
                if not right and "-v" in sys.argv:
                    print(f"{field} wrong {page[:12]}: got {article.get(field)!r} want {want}")
    for s, page, url in sorted(worst)[:10]:
        print(f"low overlap {s:.2f}  {page}  {url}")
    precision = statistics.mean(score.precision(*s) for s in scores if s[0] + s[1] > 0)
    recall = statistics.mean(score.recall(*s) for s in scores if s[0] + s[2] > 0)
    if meta["pages"]:
        n = meta["pages"]
        fields = ("title", "published", "authors", "outlet")
        print(f"metadata on {n} pages: " + ", ".join(f"{k} {meta[k]}/{n}" for k in fields))
    f1 = 2 * precision * recall / (precision + recall)
    print(f"{len(scores)} pages, {len(scores) / seconds:.1f} pages/s in-process, {filed} filed")
    print(f"{mode}: F1 {f1:.3f}  precision {precision:.3f}  recall {recall:.3f}")


def _metadata_checks(
    score: ModuleType, article: dict[str, Any], want: dict[str, Any]
) -> dict[str, bool]:
    norm = score.norm
    got = sorted(norm(a.get("name")).replace(".", "") for a in article.get("authors") or [])
    wanted = sorted(norm(a).replace(".", "") for a in want["authors"])
    agency = norm(want.get("agency") or "").replace(".", "")
    outlet = norm((article.get("outlet") or {}).get("name")).removeprefix("the ")
    return {
        "title": norm(article.get("title")) == norm(want["title"]),
        "published": score.same_day(article.get("published_at"), want.get("published")),
        "authors": got == wanted
        or (not wanted and bool(want.get("agency")) and got in ([], [agency])),
        "outlet": outlet == norm(want["outlet"]).removeprefix("the "),
    }


if __name__ == "__main__":
    main()
