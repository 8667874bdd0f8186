import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.articles.search_syntax import parse_web_query, to_fts5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("iran", '("iran")'),
        ("iran militias", '("iran") AND ("militias")'),
        ('"drone attacks" iraq', '("drone attacks") AND ("iraq")'),
        ("iran OR iraq hezbollah", '("iran" OR "iraq") AND ("hezbollah")'),
        ("iran -iraq", '(("iran")) NOT ("iraq")'),
        ('iran -"drone attacks"', '(("iran")) NOT ("drone attacks")'),
        ("U.S.-led Kata'ib", '("U S led") AND ("Kata ib")'),
        ('NEAR("a" "b") title:x * ^', '("NEAR a") AND ("b") AND ("title x")'),
        ("OR iran OR", '("iran")'),
        ('"unclosed phrase', '("unclosed phrase")'),
    ],
)
def test_web_syntax_becomes_a_quoted_fts5_query(text: str, expected: str) -> None:
    assert to_fts5(parse_web_query(text)) == expected


@pytest.mark.parametrize("text", ["", "   ", "-iran", '-"a b"', "*** ::: ()", "OR"])
def test_nothing_positive_to_search_for_is_none(text: str) -> None:
    assert to_fts5(parse_web_query(text)) is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_a_valid_fts5_query(text: str) -> None:
    expression = to_fts5(parse_web_query(text))
    if expression is None:
        return
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    connection.execute("INSERT INTO t VALUES ('some text about iran')")
    connection.execute("SELECT * FROM t WHERE t MATCH ?", (expression,)).fetchall()
