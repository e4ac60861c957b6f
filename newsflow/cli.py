"""The `newsflow` command line. Imports are lazy so that `--help` and `query` start fast."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _settings_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help="runtime data directory (env NEWSFLOW_DATA_DIR, default ./data)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsflow", description="Raw news articles in, an analysis-ready DuckDB warehouse out."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="ingest the inbox (or the given folders/files) into the warehouse")
    run.add_argument(
        "inbox", nargs="*", type=Path, help="folders or files (default: NEWSFLOW_INBOX / the sample)"
    )
    run.add_argument("--feed", action="append", dest="feeds", help="RSS/Atom feed URL to poll (repeatable)")
    run.add_argument("--model", help="spaCy pipeline (env NEWSFLOW_SPACY_MODEL)")
    run.add_argument("--batch-size", type=int, help="articles per enrich batch (env NEWSFLOW_BATCH_SIZE)")
    run.add_argument("--n-process", type=int, help="spaCy worker processes (env NEWSFLOW_N_PROCESS)")
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")
    _settings_args(run)

    extract = commands.add_parser(
        "extract", help="parse + enrich files and print one JSON object per article"
    )
    extract.add_argument("files", nargs="+", type=Path)
    extract.add_argument("--published-at", help="publication time (ISO 8601) for files that carry none")
    extract.add_argument(
        "--published-at-override",
        action="store_true",
        help="use --published-at even when the file has a time",
    )
    extract.add_argument("--format", choices=["jsonl"], default="jsonl")
    extract.add_argument("--model", help="spaCy pipeline")

    query = commands.add_parser("query", help="run read-only SQL against the warehouse")
    query.add_argument("sql")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _settings_args(query)
    _add_ops_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {
            "run": cmd_run,
            "extract": cmd_extract,
            "query": cmd_query,
            "serve": cmd_serve,
            "report": cmd_report,
        }[args.command](args)
    except KeyboardInterrupt:
        print("newsflow: interrupted", file=sys.stderr)
        return 130
    except CliError as exc:
        print(f"newsflow: {exc}", file=sys.stderr)
        return 2


class CliError(Exception):
    """An expected failure, reported as one line."""


def _prepare_prefect(data_dir: Path) -> None:
    # Prefect reads its own environment; keep its home under the data directory
    # and give the temporary server time to start on a slow machine.
    home = Path(os.environ.setdefault("PREFECT_HOME", str((data_dir / "prefect").resolve())))
    home.mkdir(parents=True, exist_ok=True)  # Prefect does not create missing parents
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def cmd_run(args: argparse.Namespace) -> int:
    from newsflow.settings import load_settings

    settings = load_settings(
        data_dir=args.data_dir,
        inbox=[str(p) for p in args.inbox] or None,
        feeds=args.feeds,
        spacy_model=args.model,
        batch_size=args.batch_size,
        n_process=args.n_process,
    )
    missing = [str(p) for p in settings.inbox if not p.exists()]
    if missing:
        raise CliError(f"inbox not found: {', '.join(missing)}")
    _prepare_prefect(settings.data_dir)
    for name, value in _env_overrides(settings).items():
        os.environ[name] = value
    from flows.ingest import ingest
    from warehouse.lock import WarehouseLocked

    try:
        summary = ingest(
            inbox=[str(p) for p in settings.inbox], feeds=settings.feeds, data_dir=str(settings.data_dir)
        )
    except WarehouseLocked as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        from newsflow.summary import print_summary

        print_summary(summary)
    return 0


def _env_overrides(settings) -> dict[str, str]:
    """CLI flags reach the flow (which reads settings itself) through the environment."""
    return {
        "NEWSFLOW_SPACY_MODEL": settings.spacy_model,
        "NEWSFLOW_BATCH_SIZE": str(settings.batch_size),
        "NEWSFLOW_N_PROCESS": str(settings.n_process),
    }


def cmd_extract(args: argparse.Namespace) -> int:
    from newsflow.extract import extract_files

    for path in args.files:
        if not path.is_file():
            raise CliError(f"file not found: {path}")
    published_at = None
    if args.published_at:
        import pandas as pd

        try:
            published_at = pd.Timestamp(args.published_at)
        except ValueError as exc:
            raise CliError(f"--published-at is not an ISO 8601 time: {args.published_at}") from exc
        published_at = (
            published_at.tz_localize("UTC") if published_at.tzinfo is None else published_at.tz_convert("UTC")
        )
    from newsflow.settings import load_settings

    settings = load_settings(spacy_model=args.model)
    for record in extract_files(args.files, settings, published_at, args.published_at_override):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from newsflow.settings import load_settings

    settings = load_settings(data_dir=args.data_dir)
    if not settings.database_path.exists():
        raise CliError(f"no warehouse at {settings.database_path}: run `newsflow run` first")
    try:
        con = duckdb.connect(str(settings.database_path), read_only=True)
    except duckdb.IOException as exc:
        raise CliError(f"cannot open {settings.database_path}: {exc}") from exc
    try:
        frame = con.execute(args.sql).df()
    except duckdb.Error as exc:
        raise CliError(f"query failed: {exc}") from exc
    finally:
        con.close()
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    else:
        from newsflow.summary import print_frame

        print_frame(frame)
    return 0


# --- Operations: `serve` (scheduled deployment) and `report` (HTML page) -----------------------------


def _add_ops_commands(commands) -> None:
    serve = commands.add_parser(
        "serve", help="serve the ingest deployment on its schedule (needs PREFECT_API_URL for the dashboard)"
    )
    serve.add_argument(
        "inbox", nargs="*", type=Path, help="folders or files (default: NEWSFLOW_INBOX / the sample)"
    )
    serve.add_argument("--feed", action="append", dest="feeds", help="RSS/Atom feed URL to poll (repeatable)")
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", help="cron schedule (env NEWSFLOW_SCHEDULE_CRON, default every 30 min)")
    when.add_argument("--interval", type=float, help="run every N seconds instead of the cron schedule")
    _settings_args(serve)

    report = commands.add_parser("report", help="write the self-contained HTML report of the warehouse")
    report.add_argument("--output", type=Path, help="HTML file (default: <data dir>/report/index.html)")
    report.add_argument("--top", type=int, default=10, help="entities in the mentions-over-time chart")
    _settings_args(report)


def cmd_serve(args: argparse.Namespace) -> int:
    from newsflow.settings import load_settings

    settings = load_settings(
        data_dir=args.data_dir,
        inbox=[str(p) for p in args.inbox] or None,
        feeds=args.feeds,
        schedule_cron=args.cron,
    )
    missing = [str(p) for p in settings.inbox if not p.exists()]
    if missing:
        raise CliError(f"inbox not found: {', '.join(missing)}")
    if args.interval is not None and args.interval <= 0:
        raise CliError("--interval must be a positive number of seconds")
    if args.interval is None:
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=settings.schedule_cron)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise CliError(f"not a cron schedule: {settings.schedule_cron!r}") from exc
    if not os.environ.get("PREFECT_API_URL"):
        print(
            "newsflow: PREFECT_API_URL is not set: serving against a temporary server that stops with this "
            "process. Start `make dashboard` and export PREFECT_API_URL=http://127.0.0.1:4200/api to keep runs.",
            file=sys.stderr,
        )
    # A served run is watched in the UI: its INFO logs belong there (`run` keeps the terminal quiet).
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    _prepare_prefect(settings.data_dir)
    from flows.deployments import serve_ingest

    serve_ingest(settings, interval_seconds=args.interval)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import duckdb

    from newsflow.report import write_report
    from newsflow.settings import load_settings

    settings = load_settings(data_dir=args.data_dir)
    if not settings.database_path.exists():
        raise CliError(f"no warehouse at {settings.database_path}: run `newsflow run` first")
    output = args.output or settings.data_dir / "report" / "index.html"
    try:
        path = write_report(settings.database_path, output, top_entities=args.top)
    except (OSError, duckdb.Error) as exc:  # e.g. a run holds the database for writing
        raise CliError(f"cannot write the report: {exc}") from exc
    print(f"report written to {path.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
