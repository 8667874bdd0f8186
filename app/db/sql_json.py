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


class json_array_of(FunctionElement[str]):
    """The JSON array, as text, of a subquery's `item` JSON values in its `position` order;
    `[]` when it has no rows."""

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


@compiles(json_array_of, "sqlite")
def _array_sqlite(element: json_array_of, compiler: SQLCompiler, **kw: Any) -> str:
    """The texts joined, not `json_group_array`: a stored object is text to SQLite, and
    joining costs half of building. SQLite aggregates in the subquery's order."""
    item, _position = element.clauses
    return f"coalesce('[' || group_concat({compiler.process(item, **kw)}, ',') || ']', '[]')"


@compiles(json_array_of, "postgresql")
def _array_postgresql(element: json_array_of, compiler: SQLCompiler, **kw: Any) -> str:
    """Joined as text in `position` order (PostgreSQL promises no order from a subquery), and
    compact as SQLite writes it (`json_agg` spaces every item)."""
    item, position = (compiler.process(clause, **kw) for clause in element.clauses)
    return (
        f"coalesce('[' || string_agg(CAST({item} AS TEXT), ',' ORDER BY {position}) || ']', '[]')"
    )


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
    inner = rows.order_by(rows.selected_columns.position).subquery()
    item = json_object(**{name: value for name, value in inner.c.items() if name != "position"})
    return inner.select().with_only_columns(json_array_of(item, inner.c.position))


def json_array_of_texts(rows: Select[*tuple[Any, ...]]) -> Any:
    """A scalar subquery: one JSON array of the JSON texts in the one column of `rows` besides
    `position` (objects the database keeps as text), in `position` order."""
    inner = rows.order_by(rows.selected_columns.position).subquery()
    (texts,) = [value for name, value in inner.c.items() if name != "position"]
    return inner.select().with_only_columns(json_array_of(texts, inner.c.position))


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
