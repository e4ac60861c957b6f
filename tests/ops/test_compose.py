"""The production compose file, Dockerfile and prefect.yaml: they parse and have the required shape."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"postgres", "prefect-server", "worker"}


def _compose_available() -> bool:
    if not shutil.which("docker"):
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def compose(tmp_path_factory) -> dict:
    if _compose_available():
        # `config` resolves variables and validates against the compose schema; needs no engine.
        env = tmp_path_factory.mktemp("compose") / ".env"
        shutil.copy(ROOT / ".env.example", env)
        out = subprocess.run(
            ["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "--env-file", str(env), "config",
             "--format", "json"],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return json.loads(out.stdout)
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_names_the_services_and_the_data_volume(compose):
    assert set(compose["services"]) >= SERVICES
    assert {"prefect-db", "newsflow-data"} <= set(compose["volumes"])
    worker = compose["services"]["worker"]
    assert worker.get("build") is not None, "the worker runs this project's image"
    mounts = [v if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in worker["volumes"]]
    assert any(m.startswith("newsflow-data:") for m in mounts)
    assert "prefect-server:4200" in str(worker["environment"]["PREFECT_API_URL"])
    server_env = compose["services"]["prefect-server"]["environment"]
    assert "postgresql" in str(server_env["PREFECT_API_DATABASE_CONNECTION_URL"])


def test_every_service_has_a_health_check_and_waits_for_its_dependencies(compose):
    for name in SERVICES:
        assert compose["services"][name].get("healthcheck", {}).get("test"), name
    assert compose["services"]["worker"]["depends_on"]["prefect-server"]["condition"] == "service_healthy"
    assert compose["services"]["prefect-server"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_no_secret_is_written_in_the_compose_file():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.search(r"(PASSWORD|SECRET|TOKEN|KEY)\s*:", line, re.IGNORECASE):
            assert "${" in line, f"literal secret: {line.strip()}"
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    declared = set(re.findall(r"^#?\s*([A-Z_]+)=", example, re.MULTILINE))
    assert used <= declared, f"variables missing from .env.example: {used - declared}"


def test_dockerfile_is_slim_non_root_and_installs_the_project():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.MULTILINE)
    assert re.search(r"pip install (--no-deps )?\.", text)
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    # The API URL comes from the environment at run time, never baked into the image.
    assert not re.search(r"PREFECT_API_URL\s*=?\s*\S*http", text)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", "data", ".git"} <= set(ignored)


def test_prefect_yaml_describes_the_scheduled_ingest_deployment_on_a_process_pool():
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = spec["deployments"]
    assert deployment["entrypoint"] == "flows/ingest.py:ingest"
    assert deployment["schedules"][0]["cron"]
    assert deployment["work_pool"]["name"]
    assert (ROOT / deployment["entrypoint"].split(":")[0]).is_file()
