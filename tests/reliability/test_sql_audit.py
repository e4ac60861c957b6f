"""SQL built from data uses parameters: every f-string handed to DuckDB interpolates only our own names."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AUDITED = ["warehouse", "flows", "newsflow", "transforms"]
# Interpolations that are table/column names or SQL fragments of the code itself, never input data.
ALLOWED = {
    "table",  # loader: from LOAD_ORDER
    "key_column",  # loader, lake_current: a column name of COMPLETE_FOR
    "gone_from",  # loader: a table of GONE_WITH_REDIRECT
    "column",  # loader, lake_current: an id column of GONE_WITH_REDIRECT
    "redirects",  # lake_current: a redirect table of GONE_WITH_REDIRECT
    "_RUN",  # lake_current: a constant expression
    "order_keys",  # lake_current: primary-key column names of the schema
    "_quoted(columns)",  # loader: schema column names
    "_quoted(list(run_row))",  # loader: keys of the run row the flow builds
    "', '.join(('?' for _ in run_row))",
    "_COLUMNS",  # requeue: a constant column list
    "_SELECTED",  # requeue: a constant query
}


def _sql_fstrings():
    for folder in AUDITED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in {
                    "execute",
                    "sql",
                    "query",
                }:
                    for arg in node.args[:1]:
                        for part in ast.walk(arg):
                            if isinstance(part, ast.FormattedValue):
                                yield path.relative_to(ROOT), node.lineno, ast.unparse(part.value)


def test_sql_interpolates_only_known_names():
    found = list(_sql_fstrings())
    assert found, "the audit found no SQL at all: is it still looking in the right place?"
    unexpected = [f"{path}:{line}: {{{expr}}}" for path, line, expr in found if expr not in ALLOWED]
    assert not unexpected, "SQL built with f-strings from values; use ? parameters:\n" + "\n".join(unexpected)
