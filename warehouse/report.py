"""A self-contained HTML report of the warehouse: entity mentions over time, stories by outlet,
discrepancies between outlets. Read-only on DuckDB; works offline.

Charts are Altair (Vega-Lite) specs. The page must open without network, so the
vega / vega-lite / vega-embed JavaScript is inlined from `vl-convert-python`,
which ships the bundle inside its wheel (altair's own `save(inline=True)` uses
the same bundle, but one chart per page). Without that package the page still
has every figure as a table, and says why the charts are missing.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

UNKNOWN_OUTLET = "(unknown outlet)"
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)

# Outlet when the article names none: the source's host (web) or file name (inbox).
_OUTLET = (
    "coalesce(nullif(trim(a.outlet), ''), nullif(regexp_extract(r.source_uri, '^[a-z]+://([^/]+)', 1), ''),"
    f" nullif(regexp_extract(r.source_uri, '([^/]+)$', 1), ''), '{UNKNOWN_OUTLET}')"
)
# Articles without a publication time are placed at the time they were fetched.
_WHEN = "coalesce(a.published_at, r.fetched_at)"
_ARTICLES = f"""
    SELECT a.article_id, a.story_id, a.title, {_OUTLET} AS outlet, {_WHEN} AS at,
           a.published_at IS NULL AS time_is_fetch
    FROM articles AS a
    LEFT JOIN (SELECT doc_id, any_value(source_uri) AS source_uri, min(fetched_at) AS fetched_at
               FROM raw_documents GROUP BY doc_id) AS r USING (doc_id)
    WHERE a.duplicate_of IS NULL
"""


@dataclass(frozen=True)
class ReportData:
    overview: dict[str, int | str]
    mentions_over_time: pd.DataFrame  # day, canonical_name, type, mentions
    stories_by_outlet: pd.DataFrame  # outlet, reach (shared / single outlet), stories, articles
    discrepancy_kinds: pd.DataFrame  # kind, discrepancies
    discrepancies: pd.DataFrame  # story_title, kind, outlet_a, value_a, outlet_b, value_b, score
    top_stories: pd.DataFrame  # title, outlets, articles, first_seen


def read_report_data(con: duckdb.DuckDBPyConnection, top_entities: int = 10, limit: int = 200) -> ReportData:
    """Everything the page shows, as small frames (aggregated in DuckDB, not in Python)."""
    q = lambda sql, params=None: con.execute(sql, params or []).df()  # noqa: E731
    overview = q(
        f"""SELECT (SELECT count(*) FROM ({_ARTICLES})) AS articles,
                   (SELECT count(DISTINCT outlet) FROM ({_ARTICLES})) AS outlets,
                   (SELECT count(*) FROM stories) AS stories,
                   (SELECT count(*) FROM entities) AS entities,
                   (SELECT count(*) FROM mentions) AS mentions,
                   (SELECT count(*) FROM discrepancies) AS discrepancies,
                   (SELECT count(*) FROM runs) AS runs,
                   (SELECT count(*) FROM ({_ARTICLES}) WHERE time_is_fetch) AS undated_articles,
                   (SELECT strftime(max(finished_at), '%Y-%m-%d %H:%M UTC') FROM runs) AS last_run"""
    ).iloc[0]
    mentions = q(
        f"""WITH art AS ({_ARTICLES}),
            top AS (SELECT m.entity_id FROM mentions AS m JOIN art USING (article_id)
                    WHERE m.entity_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?)
            SELECT date_trunc('day', art.at) AS day, e.canonical_name, e.type, count(*) AS mentions
            FROM mentions AS m JOIN art USING (article_id) JOIN top USING (entity_id)
            JOIN entities AS e USING (entity_id)
            WHERE art.at IS NOT NULL GROUP BY ALL ORDER BY day, mentions DESC""",
        [top_entities],
    )
    stories = q(
        f"""WITH art AS ({_ARTICLES}),
            reach AS (SELECT story_id, count(DISTINCT outlet) AS n FROM art GROUP BY 1)
            SELECT art.outlet,
                   CASE WHEN reach.n > 1 THEN 'shared with other outlets' ELSE 'this outlet only' END AS reach,
                   count(DISTINCT art.story_id) AS stories, count(*) AS articles
            FROM art JOIN reach USING (story_id) GROUP BY ALL ORDER BY stories DESC, outlet"""
    )
    kinds = q("SELECT kind, count(*) AS discrepancies FROM discrepancies GROUP BY 1 ORDER BY 2 DESC, 1")
    discrepancies = q(
        f"""WITH art AS ({_ARTICLES})
            SELECT coalesce(s.title, a.title, '(untitled)') AS story, d.kind, a.outlet AS outlet_a, d.value_a, b.outlet AS outlet_b,
                   d.value_b, round(d.score, 3) AS score, d.sentence_a, d.sentence_b
            FROM discrepancies AS d LEFT JOIN stories AS s USING (story_id)
            LEFT JOIN art AS a ON a.article_id = d.article_a LEFT JOIN art AS b ON b.article_id = d.article_b
            ORDER BY d.score DESC NULLS LAST, story LIMIT ?""",
        [limit],
    )
    top_stories = q(
        f"""WITH art AS ({_ARTICLES})
            SELECT coalesce(any_value(s.title), any_value(art.title), '(untitled)') AS story, string_agg(DISTINCT art.outlet, ', ') AS outlets,
                   count(*) AS articles, strftime(min(art.at), '%Y-%m-%d %H:%M') AS first_seen
            FROM art LEFT JOIN stories AS s USING (story_id) GROUP BY art.story_id
            ORDER BY count(DISTINCT art.outlet) DESC, articles DESC, first_seen DESC LIMIT ?""",
        [min(limit, 50)],
    )
    return ReportData(
        overview={k: (v if isinstance(v, str) else int(v)) for k, v in overview.items() if pd.notna(v)},
        mentions_over_time=mentions,
        stories_by_outlet=stories,
        discrepancy_kinds=kinds,
        discrepancies=discrepancies,
        top_stories=top_stories,
    )


def build_charts(data: ReportData) -> dict[str, dict]:
    """Vega-Lite specs (plain dicts, data inlined) by section id; empty frames get no chart."""
    import altair as alt

    charts: dict[str, alt.TopLevelMixin] = {}
    if not data.mentions_over_time.empty:
        frame = data.mentions_over_time.assign(day=lambda f: f["day"].dt.strftime("%Y-%m-%d"))
        tooltip = ["day:T", "canonical_name:N", "type:N", "mentions:Q"]
        if frame["day"].nunique() == 1:  # a line needs two days: rank the entities of that day instead
            chart = (
                alt.Chart(frame)
                .mark_bar()
                .encode(
                    y=alt.Y("canonical_name:N", sort="-x", title=None),
                    x=alt.X("mentions:Q", title=f"mentions on {frame['day'].iloc[0]}"),
                    color=alt.Color("type:N", title="type"),
                    tooltip=tooltip,
                )
                .properties(width=640, height=alt.Step(20))
            )
        else:
            chart = (
                alt.Chart(frame)
                .mark_line(point=True)
                .encode(
                    x=alt.X("day:T", title="day"),
                    y=alt.Y("mentions:Q", title="mentions"),
                    color=alt.Color("canonical_name:N", title="entity", sort="-y"),
                    tooltip=tooltip,
                )
                .properties(width=720, height=300)
            )
        charts["mentions"] = chart
    if not data.stories_by_outlet.empty:
        charts["outlets"] = (
            alt.Chart(data.stories_by_outlet)
            .mark_bar()
            .encode(
                y=alt.Y("outlet:N", sort="-x", title=None),
                x=alt.X("stories:Q", title="stories", stack=True),
                color=alt.Color("reach:N", title="story covered by"),
                tooltip=["outlet:N", "reach:N", "stories:Q", "articles:Q"],
            )
            .properties(width=720, height=alt.Step(18))
        )
    if not data.discrepancy_kinds.empty:
        charts["discrepancies"] = (
            alt.Chart(data.discrepancy_kinds)
            .mark_bar()
            .encode(
                x=alt.X("discrepancies:Q"),
                y=alt.Y("kind:N", sort="-x", title=None),
                tooltip=["kind", "discrepancies"],
            )
            .properties(width=720, height=alt.Step(22))
        )
    with alt.data_transformers.disable_max_rows():
        return {key: chart.to_dict() for key, chart in charts.items()}


def _cache_dir(fallback: Path) -> Path:
    """The user's cache folder (the bundle is the same for every warehouse), else `fallback/.cache`."""
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsflow"
    try:
        user.mkdir(parents=True, exist_ok=True)
        return user if os.access(user, os.W_OK) else fallback / ".cache"
    except OSError:
        return fallback / ".cache"


def javascript_bundle(cache_dir: Path | None = None) -> str | None:
    """The vega-embed bundle (vega + vega-lite inside) from vl-convert, cached on disk; None without it."""
    try:
        import vl_convert as vlc
    except ImportError:
        return None
    from altair.utils._importers import vl_version_for_vl_convert

    version = vl_version_for_vl_convert()
    cached = cache_dir / f"vega-embed-vl{version}-{vlc.__version__}.js" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = vlc.javascript_bundle(vl_version=version)  # ~3 s: worth caching across runs
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")  # two runs at once never read half a file
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(cached)
    return bundle


SECTIONS = [
    ("mentions", "Entity mentions over time", "mentions_over_time"),
    ("outlets", "Stories by outlet", "stories_by_outlet"),
    ("discrepancies", "Discrepancies between outlets", "discrepancies"),
]


def render_html(data: ReportData, specs: dict[str, dict], script: str | None, title: str) -> str:
    """The page: an overview, then each section with its chart (when any) and its figures."""
    parts = [f"<h1>{html.escape(title)}</h1>", _overview(data.overview)]
    if script is None and specs:
        parts.append(
            '<p class="note">Charts need the vega JavaScript bundle from the <code>vl-convert-python</code> '
            "package, which is not installed: the figures are shown as tables.</p>"
        )
    for key, heading, frame_name in SECTIONS:
        parts.append(f'<section id="{key}"><h2>{html.escape(heading)}</h2>')
        if key in specs and script is not None:
            parts.append(f'<div class="chart" id="chart-{key}"></div>')
        frame = getattr(data, frame_name)
        if key == "discrepancies":
            parts.append(_table(data.discrepancy_kinds, "No discrepancies found between outlets yet."))
        parts.append(_table(frame, "Nothing to show yet."))
        if key == "outlets":
            parts += [
                "<h3>Stories covered by the most outlets</h3>",
                _table(data.top_stories, "No stories yet."),
            ]
        parts.append("</section>")
    body = "\n".join(parts)
    scripts = ""
    if script is not None and specs:
        calls = "\n".join(
            f"vegaEmbed('#chart-{key}', {_json_for_script(spec)}, {{actions: false, renderer: 'svg'}}).catch(console.error);"
            for key, spec in specs.items()
        )
        scripts = f"<script>{_safe_script(script)}</script>\n<script>\n{calls}\n</script>"
    return _PAGE.format(title=html.escape(title), body=body, scripts=scripts)


def write_report(database: Path, output: Path, top_entities: int = 10) -> Path:
    """Read the warehouse (read-only) and write the report page to `output`."""
    if not Path(database).is_file():
        raise FileNotFoundError(f"no warehouse at {database}")
    con = duckdb.connect(str(database), read_only=True)
    try:
        data = read_report_data(con, top_entities=top_entities)
    finally:
        con.close()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    page = render_html(
        data, build_charts(data), javascript_bundle(_cache_dir(output.parent)), "newsflow report"
    )
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(output)  # readers never see half a page
    return output


def _overview(overview: dict) -> str:
    labels = {
        "articles": "articles",
        "outlets": "outlets",
        "stories": "stories",
        "entities": "entities",
        "mentions": "mentions",
        "discrepancies": "discrepancies",
        "runs": "runs",
    }
    cells = "".join(
        f'<div class="figure"><b>{overview.get(k, 0)}</b><span>{v}</span></div>' for k, v in labels.items()
    )
    notes = f"Last run: {html.escape(str(overview.get('last_run', 'never')))}."
    if overview.get("undated_articles"):
        notes += (
            f" {overview['undated_articles']} article(s) carry no publication time and are placed at the"
            " time they were fetched."
        )
    return f'<div class="overview">{cells}</div><p class="note">{notes}</p>'


def _table(frame: pd.DataFrame, empty: str) -> str:
    if frame.empty:
        return f'<p class="empty">{html.escape(empty)}</p>'
    shown = frame.copy()
    for column in shown.columns:
        if isinstance(shown[column].dtype, pd.DatetimeTZDtype):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d")
    return shown.to_html(index=False, escape=True, na_rep="", border=0, classes="data")


def _json_for_script(value: dict) -> str:
    # Text from articles must not close the <script> element early; "<\/" is valid JSON for "</".
    return json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")


def _safe_script(code: str) -> str:
    # Only a literal "</script" ends the element; inside JS strings and regexes "<\/script" means the same.
    return _SCRIPT_END.sub(r"<\\/\1", code)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem;
       color: #1d232a; }}
h1 {{ margin-bottom: .3rem; }} h2 {{ border-bottom: 1px solid #dde; padding-bottom: .2rem; margin-top: 2.2rem; }}
.overview {{ display: flex; flex-wrap: wrap; gap: .8rem; }}
.figure {{ background: #f3f5f8; border-radius: 6px; padding: .5rem .9rem; min-width: 6rem; }}
.figure b {{ display: block; font-size: 1.5rem; }} .figure span {{ color: #566; }}
.note, .empty {{ color: #566; }}
table.data {{ border-collapse: collapse; margin: .8rem 0; font-size: 13px; }}
table.data th, table.data td {{ border-bottom: 1px solid #e4e7ec; padding: .25rem .6rem; text-align: left;
                                vertical-align: top; max-width: 30rem; }}
</style>
</head>
<body>
{body}
{scripts}
</body>
</html>
"""
