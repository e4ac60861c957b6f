"""The HTML report: offline, escaped, right figures, and it never writes the warehouse."""

import re

import duckdb
import pytest

from newsflow.cli import main
from tests.ops.warehouse_fixture import NASTY_TITLE, build_warehouse
from warehouse.report import read_report_data, render_html, write_report


@pytest.fixture()
def database(tmp_path):
    return build_warehouse(tmp_path / "news.duckdb")


def test_report_figures_come_from_the_warehouse(database):
    con = duckdb.connect(str(database), read_only=True)
    data = read_report_data(con, top_entities=1)
    con.close()
    assert data.overview["articles"] == 3 and data.overview["discrepancies"] == 1
    assert data.overview["undated_articles"] == 1
    # Only the top entity, one row per day; the undated article falls on its fetch day.
    assert set(data.mentions_over_time["canonical_name"]) == {"Kabul"}
    assert data.mentions_over_time["mentions"].sum() == 3
    outlets = data.stories_by_outlet.set_index("outlet")
    # An outlet-less article is named after its source's host, or its file name.
    assert {"Alpha News", "beta.example", "gamma-notes.txt"} == set(outlets.index)
    assert outlets.loc["Alpha News", "reach"] == "shared with other outlets"
    assert outlets.loc["gamma-notes.txt", "reach"] == "this outlet only"
    assert data.discrepancies.iloc[0][["outlet_a", "outlet_b"]].tolist() == ["Alpha News", "beta.example"]


def test_report_is_self_contained_and_escapes_article_text(database, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = write_report(database, tmp_path / "out" / "report.html")
    page = out.read_text(encoding="utf-8")
    pytest.importorskip("vl_convert")
    assert "vegaEmbed('#chart-mentions'" in page and "vegaEmbed('#chart-discrepancies'" in page
    # Offline: no script or stylesheet is loaded from elsewhere.
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", page)
    # Article text never closes a script element nor becomes markup.
    assert NASTY_TITLE not in page
    assert page.lower().count("</script>") == page.lower().count("<script")
    assert "&lt;b&gt;more&lt;/b&gt;" in page
    # The JS bundle is cached for the user so the next run, into any warehouse, does not rebuild it.
    assert list((tmp_path / "cache" / "newsflow").glob("vega-embed-*.js"))


def test_report_without_chart_library_falls_back_to_tables(database):
    con = duckdb.connect(str(database), read_only=True)
    data = read_report_data(con)
    con.close()
    page = render_html(data, {"mentions": {}}, None, "t")
    assert "vl-convert-python" in page and "<script" not in page
    assert "Kabul" in page


def test_empty_warehouse_still_gives_a_page(tmp_path):
    from warehouse import loader

    loader.connect(tmp_path / "news.duckdb").close()
    page = write_report(tmp_path / "news.duckdb", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Nothing to show yet" in page and "No discrepancies" in page


def test_cli_report_writes_the_page_and_leaves_the_database_unchanged(database, tmp_path, capsys):
    before = database.read_bytes()
    out = tmp_path / "page.html"
    assert main(["report", "--data-dir", str(tmp_path), "--output", str(out)]) == 0
    assert out.is_file() and str(out.resolve()) in capsys.readouterr().out
    assert database.read_bytes() == before


def test_cli_report_without_warehouse_is_a_one_line_error(tmp_path, capsys):
    assert main(["report", "--data-dir", str(tmp_path / "none")]) == 2
    assert "no warehouse" in capsys.readouterr().err


def test_cli_serve_refuses_a_bad_schedule_before_touching_prefect(tmp_path, capsys):
    assert main(["serve", "--cron", "every tuesday", "--data-dir", str(tmp_path)]) == 2
    assert "not a cron schedule" in capsys.readouterr().err
    assert main(["serve", "--interval", "0", "--data-dir", str(tmp_path)]) == 2
