"""What a run runs on: the plumbing between the command line, Prefect and the data path.

Used by the CLI:  `settings.load_settings`, `precheck.count_new_inputs` (anything new?),
                  `startup.start_standalone` / `startup.warm_up` / `startup.prepare_prefect`.
Used by the flow: `runners.task_runner_for` / `runners.writer_slot`, `workers.worker_pool` and
                  the per-worker enrich, `parse_ahead.parse` (the inbox parsed ahead, else now).

Modules: `settings` (every knob, from the environment), `startup` (before the flow),
`prefect_server` + `prefect_server_child` (the temporary API server), `parent_watch` (children
that end with their parent), `workers` (forked worker processes), `runners` (task runners, the
one-writer slot), `parse_ahead` (parse results handed to the flow as files), `precheck`.
Nothing here is imported by `transforms/`, `expectations/` or `warehouse/`.
"""
