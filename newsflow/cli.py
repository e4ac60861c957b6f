"""The `newsflow` command line. Imports are lazy so that `--help` and `query` start fast."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import io
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
    run.add_argument(
        "--n-process", type=int, help="enrich worker processes, default one per core (env NEWSFLOW_N_PROCESS)"
    )
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")
    run.add_argument(
        "--always-flow",
        action="store_true",
        help="start the Prefect flow even when the inbox holds nothing new (by default that is skipped)",
    )
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
    query.add_argument(
        "--wait",
        type=float,
        default=60.0,
        help="seconds to wait while a run holds the database for loading (default 60)",
    )
    _settings_args(query)

    _add_requeue(commands)
    _add_ops_commands(commands)
    return parser


def _add_requeue(commands) -> None:
    requeue = commands.add_parser(
        "requeue", help="let the next run re-read quarantined inputs (after a fix); their history is kept"
    )
    which = requeue.add_mutually_exclusive_group(required=True)
    which.add_argument("--reason", help="requeue quarantined items whose reason starts with this text")
    which.add_argument("--all", action="store_true", help="requeue every quarantined item")
    requeue.add_argument("--dry-run", action="store_true", help="list the items, change nothing")
    _settings_args(requeue)


def entry() -> None:
    """The `newsflow` command: `main`, then an exit that skips tearing the interpreter down."""
    global _exit_code
    _stacks_on_sigusr1()
    _exit_code = main()
    sys.exit(_exit_code)


_exit_code: int | None = None  # set by `entry` once its command has returned


def _exit_without_teardown() -> None:
    # Registered at import, before Prefect and multiprocessing register theirs, so it runs after
    # them. Freeing the model, the frames and every module one by one took about a second after
    # a run; the operating system reclaims the memory at once.
    if _exit_code is None:  # an exception or `main` called from Python: the ordinary exit
        return
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(_exit_code)


atexit.register(_exit_without_teardown)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        commands = {
            "run": cmd_run,
            "extract": cmd_extract,
            "query": cmd_query,
            "requeue": cmd_requeue,
            "serve": cmd_serve,
            "report": cmd_report,
        }
        return commands[args.command](args)
    except KeyboardInterrupt:
        print("newsflow: interrupted", file=sys.stderr)
        return 130
    except RunFailed as exc:
        print(f"newsflow: {exc}", file=sys.stderr)
        return 1
    except CliError as exc:
        print(f"newsflow: {exc}", file=sys.stderr)
        return 2


def _stacks_on_sigusr1() -> None:
    """`kill -USR1 <pid>` prints every thread's stack to stderr, the run going on: what a run that
    seems stuck is doing. Forked workers inherit it."""
    import faulthandler
    import signal

    if hasattr(signal, "SIGUSR1"):
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):  # stderr not a file
            faulthandler.register(signal.SIGUSR1, all_threads=True, chain=False)


class CliError(Exception):
    """An expected failure, reported as one line."""


class RunFailed(Exception):
    """A run that failed and loaded nothing, reported as one line (exit code 1)."""


def cmd_run(args: argparse.Namespace) -> int:
    from runtime.settings import load_settings

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
    if not args.always_flow:
        from runtime.precheck import count_new_inputs

        new, unchanged = count_new_inputs(settings)
        if new == 0:
            return _report_nothing_new(settings, unchanged, args.json)
    summary = _handed_off(settings)
    if summary is None:
        from runtime.startup import start_standalone

        server = start_standalone(settings)
        summary = _run_flow(settings, server)
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        from newsflow.summary import print_summary

        print_summary(summary)
    return 0


def _handed_off(settings) -> dict | None:
    """The run done by a warm `newsflow serve` of this machine on PREFECT_API_URL, when one is up
    with this run's settings (`runtime.handoff`): its summary, or None to run the flow here."""
    from runtime.handoff import HandOffFailed, hand_off, serving_note

    note = serving_note(settings)
    if note is None:
        return None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    summary_path = (settings.data_dir / f".run-summary-{os.getpid()}.json").resolve()
    parameters = {
        "inbox": [str(p.resolve()) for p in settings.inbox],
        "feeds": list(settings.feeds),
        "data_dir": str(settings.data_dir.resolve()),
        "summary_path": str(summary_path),
    }
    try:
        flow_run_id, state = hand_off(note, parameters)
    except HandOffFailed as exc:
        raise RunFailed(str(exc)) from exc
    except OSError:
        return None  # the server did not take the run: run it here
    print(f"newsflow: run by the served deployment (flow run {flow_run_id})", file=sys.stderr)
    try:
        if state.get("type") != "COMPLETED":
            raise RunFailed(f"the served run {flow_run_id} ended {state.get('type')}: {state.get('message')}")
        return json.loads(summary_path.read_text(encoding="utf-8"))
    finally:
        summary_path.unlink(missing_ok=True)


def _run_flow(settings, server) -> dict:
    from flows.ingest import ingest
    from runtime.startup import warm_up
    from warehouse.loader import WarehouseBusy
    from warehouse.lock import WarehouseLocked

    warm_up(settings, server)
    try:
        with _without_heartbeats(server is not None):
            return ingest(
                inbox=[str(p) for p in settings.inbox], feeds=settings.feeds, data_dir=str(settings.data_dir)
            )
    except (WarehouseLocked, WarehouseBusy) as exc:
        raise CliError(str(exc)) from exc
    except Exception as exc:
        raise RunFailed(_failure_line(exc, settings)) from exc


def _without_heartbeats(temporary_server: bool) -> contextlib.AbstractContextManager:
    """No flow-run heartbeats against the run's own temporary server. Heartbeats let a long-lived
    server find a run that died; a temporary server dies with the run, and the heartbeat thread,
    which sleeps in one-second steps, held the end of every run for up to a second. Against a
    long-lived server the heartbeats stay, and the end no longer waits for that sleep."""
    if not temporary_server:
        from runtime.heartbeats import heartbeats_without_end_wait

        heartbeats_without_end_wait()
        return contextlib.nullcontext()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})


def _failure_line(error: Exception, settings) -> str:
    from warehouse.input_failures import blamed

    what = f"run failed, nothing was loaded: {type(error).__name__}: {error}".replace("\n", " ")[:500]
    if not blamed(error):
        return f"{what} (not an input's fault: its inputs are not counted as failed)"
    return (
        f"{what} (counted against this run's new inputs: one that fails "
        f"{settings.max_input_failures} runs is quarantined as poison; see {settings.input_failures_path})"
    )


def _report_nothing_new(settings, unchanged: int, as_json: bool) -> int:
    summary = {
        "run_id": "-",
        "status": "nothing-new",
        "counts": {"discovered": 0, "unchanged_skipped": unchanged},
        "database": str(settings.database_path),
        "lake": str(settings.lake_dir),
    }
    if as_json:
        print(json.dumps(summary, indent=2))
    else:
        from newsflow.summary import print_summary

        print_summary(summary)
    return 0


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
    from runtime.settings import load_settings

    settings = load_settings(spacy_model=args.model)
    for record in extract_files(args.files, settings, published_at, args.published_at_override):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from runtime.settings import load_settings

    settings = load_settings(data_dir=args.data_dir)
    if not settings.database_path.exists():
        raise CliError(f"no warehouse at {settings.database_path}: run `newsflow run` first")
    from warehouse.loader import WarehouseBusy, open_with_retry

    try:
        con = open_with_retry(settings.database_path, read_only=True, timeout_seconds=args.wait)
    except WarehouseBusy as exc:
        raise CliError(f"{exc}; try again when the run has finished loading (or raise --wait)") from exc
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


def cmd_requeue(args: argparse.Namespace) -> int:
    from newsflow.requeue import requeue
    from runtime.settings import load_settings
    from warehouse.loader import WarehouseBusy
    from warehouse.lock import WarehouseLocked

    settings = load_settings(data_dir=args.data_dir)
    if not settings.database_path.exists():
        raise CliError(f"no warehouse at {settings.database_path}: run `newsflow run` first")
    try:
        rows = requeue(
            settings.database_path,
            None if args.all else args.reason,
            lock_path=settings.lock_path,
            lock_timeout_seconds=settings.lock_timeout_seconds,
            dry_run=args.dry_run,
        )
    except (WarehouseLocked, WarehouseBusy) as exc:
        raise CliError(str(exc)) from exc
    verb = "would requeue" if args.dry_run else "requeued"
    print(f"{verb} {len(rows)} item(s); the next `newsflow run` re-reads them")
    for row in rows.itertuples(index=False):
        print(f"  {row.source_uri}  [{row.status}: {row.reason}]")
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
    from runtime.settings import load_settings

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
    from flows.deployments import serve_ingest
    from runtime.startup import prepare_prefect

    prepare_prefect(settings.data_dir)

    serve_ingest(settings, interval_seconds=args.interval)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import duckdb

    from runtime.settings import load_settings
    from warehouse.report import write_report

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
    entry()
