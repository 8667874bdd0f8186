"""JSON built by the database, the same on SQLite and PostgreSQL: a page of articles comes
back with each article's tags and authors in one row, instead of a row per tag for Python to
group (the per-row work, not the query, was the cost of a listing)."""

from typing import Any

from sqlalchemy import ColumnElement, Select, String, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal, _TraverseInternalsType


class json_object(FunctionElement[Any]):
    """`json_object('key', value, ...)` from keyword arguments, in their order."""

    inherit_cache = True

    def __init__(self, **fields: Any) -> None:
        # The keys are written into the SQL: they are names from this code, never input.
        pairs: list[Any] = []
        for key, value in fields.items():
            pairs += [literal_column(f"'{key}'"), value]
        super().__init__(*pairs)


class json_texts_array(FunctionElement[str]):
    """The JSON array, as text, of an ordered subquery's JSON texts, in its order; `[]` when
    it has no rows."""

    type = String()
    inherit_cache = True


class json_array_of(FunctionElement[str]):
    """The JSON array, as text, of an ordered subquery's rows, in its order; `[]` when it has
    no rows. Given each row as a JSON object (`item`, for SQLite) and as the whole row (for
    PostgreSQL's `row_to_json`)."""

    type = String()
    inherit_cache = True


@compiles(json_object, "sqlite")
def _object_sqlite(element: json_object, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(json_object, "postgresql")
def _object_postgresql(element: json_object, compiler: SQLCompiler, **kw: Any) -> str:
    """The JSON of a one-row record whose columns are named after the keys: `row_to_json`
    writes it compact, as SQLite does (`json_build_object` spaces every key)."""
    clauses = list(element.clauses)
    names = [compiler.preparer.quote(key.name.strip("'")) for key in clauses[::2]]
    columns = ", ".join(
        f"{compiler.process(value, **kw)} AS {name}"
        for name, value in zip(names, clauses[1::2], strict=True)
    )
    return f"row_to_json((SELECT _object FROM (SELECT {columns}) AS _object))"


# Both aggregate the rows in the order the subquery gives them, as SQLite always did.


@compiles(json_array_of, "sqlite")
def _array_sqlite(element: json_array_of, compiler: SQLCompiler, **kw: Any) -> str:
    item, _row = element.clauses
    return f"json_group_array({compiler.process(item, **kw)})"


@compiles(json_array_of, "postgresql")
def _array_postgresql(element: json_array_of, compiler: SQLCompiler, **kw: Any) -> str:
    """`row_to_json` writes compact JSON, as SQLite does (`json_agg` of `json_build_object`
    spaced every key and item), and costs the server less: 700 → 610 µs for a page of 20."""
    _item, row = element.clauses
    return _joined("string_agg", f"CAST(row_to_json({compiler.process(row, **kw)}) AS TEXT)")


def _joined(aggregate: str, texts: str) -> str:
    return f"coalesce('[' || {aggregate}({texts}, ',') || ']', '[]')"


@compiles(json_texts_array, "sqlite")
def _texts_sqlite(element: json_texts_array, compiler: SQLCompiler, **kw: Any) -> str:
    return _joined("group_concat", compiler.process(element.clauses, **kw))


@compiles(json_texts_array, "postgresql")
def _texts_postgresql(element: json_texts_array, compiler: SQLCompiler, **kw: Any) -> str:
    return _joined("string_agg", compiler.process(element.clauses, **kw))


class named(ColumnElement[Any]):
    """A constant expression known by a name: SQLAlchemy keys its statement cache on the name
    alone instead of walking the whole expression on every execution (for the JSON subqueries
    that cost more than the rest of a listing's statement)."""

    inherit_cache = True
    _traverse_internals: _TraverseInternalsType = [("name", InternalTraversal.dp_string)]  # noqa: RUF012

    def __init__(self, name: str, expression: ColumnElement[Any]) -> None:
        self.name = name
        self.named_expression = expression
        self.type = expression.type


@compiles(named)
def _named(element: named, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.named_expression, **kw)


def json_array(rows: Select[*tuple[Any, ...]]) -> Any:
    """A scalar subquery: one JSON array with an object per row of `rows`, in the order of its
    `position` column, keyed by the names of its other columns."""
    columns = [column for column in rows.selected_columns if column.key != "position"]
    inner = rows.with_only_columns(*columns).order_by(rows.selected_columns.position).subquery()
    item = json_object(**dict(inner.c.items()))
    return inner.select().with_only_columns(json_array_of(item, inner.table_valued()))


def json_array_of_texts(rows: Select[*tuple[Any, ...]]) -> Any:
    """A scalar subquery: one JSON array of the JSON texts in the one column of `rows` besides
    `position`, in its order. Joining stored texts costs SQLite half of building the objects."""
    (texts,) = [column for column in rows.selected_columns if column.key != "position"]
    inner = rows.with_only_columns(texts).order_by(rows.selected_columns.position).subquery()
    (stored,) = inner.c
    return inner.select().with_only_columns(json_texts_array(stored))


class iso_instant(FunctionElement[str]):
    """A stored UTC time as the API writes it, like Python's `isoformat()` + "Z":
    `2024-05-01T12:30:00Z`, with `.ffffff` only when there are microseconds."""

    type = String()
    inherit_cache = True


class iso_day(FunctionElement[str]):
    """A stored time's day: `2024-05-01`."""

    type = String()
    inherit_cache = True


# SQLAlchemy stores a SQLite DateTime as text, `YYYY-MM-DD HH:MM:SS.ffffff`.
@compiles(iso_instant, "sqlite")
def _instant_sqlite(element: iso_instant, compiler: SQLCompiler, **kw: Any) -> str:
    at = compiler.process(element.clauses, **kw)
    return (
        f"(substr({at}, 1, 10) || 'T' || CASE WHEN substr({at}, 21) IN ('', '000000') "
        f"THEN substr({at}, 12, 8) ELSE substr({at}, 12) END || 'Z')"
    )


@compiles(iso_instant, "postgresql")
def _instant_postgresql(element: iso_instant, compiler: SQLCompiler, **kw: Any) -> str:
    at = compiler.process(element.clauses, **kw)
    return (
        f"""(to_char({at}, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN date_trunc('second', {at}) """
        f"= {at} THEN '' ELSE to_char({at}, '.US') END || 'Z')"
    )


@compiles(iso_day, "sqlite")
def _day_sqlite(element: iso_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


@compiles(iso_day, "postgresql")
def _day_postgresql(element: iso_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"
