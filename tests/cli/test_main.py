"""The `newsdb` command, run in-process against a real database."""

import gzip
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text, update

from app.cli import main as cli
from app.config import get_settings
from app.db.models import ArticleSource
from app.db.tag_bits import tag_bits
from tests.conftest import ROOT

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def newsdb(
    database_url: str,
    clean_db: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Run]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    get_settings.cache_clear()


def test_keys_create_prints_the_key_alone_on_the_last_line(newsdb: Run, client: TestClient) -> None:
    code, out, _ = newsdb("keys", "create", "scraper-1")
    assert code == 0
    key = out.strip().splitlines()[-1]
    assert key.startswith("ndb_") and " " not in key
    headers = {"Authorization": f"Bearer {key}"}
    payload = {"title": "T", "body": "B", "published_at": "2024-01-01", "outlet": "O"}
    assert client.post("/v1/articles", json=payload, headers=headers).status_code == 201

    code, out, _ = newsdb("keys", "list")
    assert "scraper-1\tingest" in out and "active" in out and key not in out

    assert newsdb("keys", "revoke", "scraper-1")[0] == 0
    # Revocation is checked on every request: the running app refuses the key at once.
    assert client.post("/v1/articles", json=payload, headers=headers).status_code == 401
    assert "revoked" in newsdb("keys", "list")[1]


def test_keys_errors_are_clear(newsdb: Run) -> None:
    assert newsdb("keys", "create", "dup")[0] == 0
    code, _, err = newsdb("keys", "create", "dup")
    assert code == 2 and "exists already" in err
    code, _, err = newsdb("keys", "create", "x", "--scopes", "ingest,root")
    assert code == 2 and "unknown scopes: root" in err
    code, _, err = newsdb("keys", "revoke", "nobody")
    assert code == 2 and "no active key" in err


def test_migrate_is_idempotent(newsdb: Run) -> None:
    code, out, _ = newsdb("migrate")
    assert code == 0 and "revision head" in out


def test_taxonomy_import_loads_vocabularies_from_json(
    newsdb: Run, client: TestClient, tmp_path: Path
) -> None:
    expected = json.loads((ROOT / "tests/fixtures/jpost-iran-proxies.expected.json").read_text())
    vocabulary = tmp_path / "issues.json"
    vocabulary.write_text(json.dumps(expected["before"]["request"]["body"]))
    code, out, _ = newsdb("taxonomy", "import", str(vocabulary))
    assert (code, out) == (0, "Issues: 15 tags added, 15 in all\n")
    assert newsdb("taxonomy", "import", str(vocabulary))[1] == "Issues: 0 tags added, 15 in all\n"
    both = tmp_path / "both.json"
    both.write_text(json.dumps([{"name": "Topics", "tags": ["Iraq"]}, {"name": "Regions"}]))
    assert newsdb("taxonomy", "import", str(both))[1].splitlines() == [
        "Topics: 1 tags added, 1 in all",
        "Regions: 0 tags added, 0 in all",
    ]


def test_taxonomy_import_explains_a_bad_file(newsdb: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"tags": ["no name"]}')
    code, _, err = newsdb("taxonomy", "import", str(bad))
    assert code == 2 and "cannot read a vocabulary" in err and "name" in err
    code, _, err = newsdb("taxonomy", "import", str(tmp_path / "missing.json"))
    assert code == 2 and "No such file" in err


def test_export_then_import_gives_an_identical_database(
    newsdb: Run,
    client: TestClient,
    ingest_headers: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for number in range(3):
        response = client.post(
            "/v1/articles",
            json={
                "url": f"https://e.com/{number}",
                "title": f"T{number}",
                "body": "Bödy “quoted”.",
                "published_at": f"2024-01-0{number + 1}T10:00:00Z",
                "outlet": "O",
                "authors": [{"name": "A", "bio": "is a reporter."}],
                "tags": {"Topics": ["Iran", f"Tag {number}"]},
            },
            headers=ingest_headers,
        )
        assert response.status_code == 201
    first = tmp_path / "first.ndjson"
    assert newsdb("export", str(first))[0] == 0

    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", target)
    get_settings.cache_clear()
    assert newsdb("migrate")[0] == 0
    code, out, _ = newsdb("import", str(first))
    assert code == 0 and "3 articles" in out
    # Excerpts and tag bits are derived: left out of the export, written again by the import.
    assert '"excerpt"' not in first.read_text(encoding="utf-8")
    assert '"tag_bits"' not in first.read_text(encoding="utf-8")
    restored = create_engine(target)
    with restored.connect() as connection:
        stored = connection.scalars(text("SELECT excerpt FROM articles")).all()
        links = connection.execute(text("SELECT article_id, tag_id, tag_bits FROM article_tags"))
        tags_of: dict[int, list[int]] = {}
        bits_of = {}
        for article, tag, bits in links:
            tags_of.setdefault(article, []).append(tag)
            bits_of[article, tag] = bits
    restored.dispose()
    assert stored == ["Bödy “quoted”."] * 3
    assert len(bits_of) == 6 and all(
        bits == tag_bits(tags_of[article]) for (article, _), bits in bits_of.items()
    )
    second = tmp_path / "second.ndjson"
    assert newsdb("export", str(second))[0] == 0
    assert second.read_bytes() == first.read_bytes()
    code, _, err = newsdb("import", str(first))
    assert code == 2 and "not empty" in err

    # An export from before the links copied their article's outlet restores the same.
    older = tmp_path / "older.ndjson"
    lines = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line.get("table") == "article_tags":
            del line["row"]["outlet_id"]
    older.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'older.sqlite3'}")
    get_settings.cache_clear()
    assert newsdb("migrate")[0] == 0
    assert newsdb("import", str(older))[0] == 0
    assert newsdb("export", str(second))[0] == 0
    assert second.read_bytes() == first.read_bytes()


def test_ingest_files_and_folders_then_reparse_with_a_new_vocabulary(
    newsdb: Run, client: TestClient, tmp_path: Path
) -> None:
    raw = (ROOT / "tests/fixtures/jpost-iran-proxies.raw.txt").read_text(encoding="utf-8")
    folder = tmp_path / "scrapes"
    folder.mkdir()
    (folder / "jpost.txt").write_text(raw, encoding="utf-8")
    (folder / "items.ndjson").write_text(
        json.dumps({"text": raw.replace("The Jerusalem Post", "JNS"), "url": "https://jns.org/a"})
        + "\n"
        + json.dumps({"text": ""})
        + "\n",
        encoding="utf-8",
    )
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    code, out, _ = newsdb("ingest", str(folder))
    assert code == 1
    assert out.splitlines()[0] == "2 created, 0 existing, 2 failed"
    assert "broken.json: unreadable_file" in out and "items.ndjson:2: validation_error" in out
    assert newsdb("ingest", str(folder / "jpost.txt"))[1].startswith("0 created, 1 existing")

    before = client.get("/v1/articles/1").json()
    assert "Iran Global Threat Network" not in [t["name"] for t in before["tags"]]
    expected = json.loads((ROOT / "tests/fixtures/jpost-iran-proxies.expected.json").read_text())
    vocabulary = tmp_path / "issues.json"
    vocabulary.write_text(json.dumps(expected["before"]["request"]["body"]))
    assert newsdb("taxonomy", "import", str(vocabulary))[0] == 0
    code, out, _ = newsdb("reparse", "--all")
    assert code == 0 and "2 reparsed, 2 changed, 0 failed" in out and "changed tags" in out
    after = client.get("/v1/articles/1").json()
    issues = [t["name"] for t in after["tags"] if t["taxonomy"] == "Issues"]
    assert issues == expected["expected_article"]["tags"]["Issues"]
    assert newsdb("reparse", "1")[1].strip().endswith("1 reparsed, 0 changed, 0 failed")
    assert newsdb("reparse")[0] == 2


def test_ingest_pages_then_reparse_reads_the_kept_page(
    newsdb: Run, client: TestClient, tmp_path: Path
) -> None:
    from tests.ingest.test_router_html import LD, PARAGRAPHS, page

    (tmp_path / "first.html.gz").write_bytes(gzip.compress(page().encode("utf-8")))
    other = LD | {"headline": "Another story entirely", "datePublished": "2024-04-01"}
    # A page in its own declared encoding, not UTF-8.
    (tmp_path / "second.htm").write_bytes(
        page(other, [*PARAGRAPHS[2:], "Économistes: a closing line in Latin-1."])
        .replace("<head>", '<head><meta charset="iso-8859-1">')
        .encode("latin-1")
    )
    (tmp_path / "notes.gz").write_bytes(gzip.compress(b"not a page"))
    code, out, _ = newsdb("ingest", str(tmp_path))
    assert (code, out.splitlines()[0]) == (0, "2 created, 0 existing, 0 failed")
    titles = sorted(item["title"] for item in client.get("/v1/articles").json()["items"])
    assert titles == ["Another story entirely", LD["headline"]]
    assert "Économistes: a closing line in Latin-1." in client.get("/v1/articles/2").json()["body"]
    code, out, _ = newsdb("reparse", "--all")
    assert code == 0 and out.strip().endswith("2 reparsed, 0 changed, 0 failed")


def test_reparse_files_an_undated_page_under_the_day_it_came_in(
    newsdb: Run, client: TestClient, clean_db: Engine, tmp_path: Path
) -> None:
    from tests.ingest.test_router_html import LD, page

    undated = {key: value for key, value in LD.items() if not key.startswith("date")}
    time_element = '<time datetime="2024-03-05T09:30:00+01:00">5 March 2024</time>'
    html = page(undated).replace(time_element, "")
    (tmp_path / "undated.html").write_text(html, encoding="utf-8")
    assert newsdb("ingest", str(tmp_path))[0] == 0
    with clean_db.begin() as connection:
        connection.execute(update(ArticleSource).values(received_at=datetime(2024, 1, 2, 8, 0)))
    code, out, _ = newsdb("reparse", "--all")
    assert code == 0 and out.strip().endswith("1 reparsed, 1 changed, 0 failed"), out
    assert client.get("/v1/articles/1").json()["published_at"] == "2024-01-02"


def test_a_truncated_page_and_an_article_that_no_longer_parses_are_reported(
    newsdb: Run, client: TestClient, clean_db: Engine, tmp_path: Path
) -> None:
    from tests.ingest.test_router_html import LD, page

    whole = gzip.compress(page().encode("utf-8"))
    (tmp_path / "cut.html.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "whole.html.gz").write_bytes(whole)
    code, out, _ = newsdb("ingest", str(tmp_path))
    assert code == 1 and "cut.html.gz: unreadable_file" in out
    # The article's stored scrape replaced by one that files nothing: reparse says so, goes on.
    with clean_db.begin() as connection:
        connection.execute(
            update(ArticleSource).values(payload='{"text": "too short"}', encoding="identity")
        )
    code, out, _ = newsdb("reparse", "--all")
    assert code == 1 and "article 1: failed, unparseable_text" in out
    assert out.strip().endswith("0 reparsed, 0 changed, 1 failed")
    assert client.get("/v1/articles/1").json()["title"] == LD["headline"]
