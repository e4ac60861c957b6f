# newsflow: the project's image, used by the Prefect worker of docker-compose.yml.
# Build: docker build -t newsflow .   (the spaCy model is a pinned PyPI dependency: no download at run time)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# tini reaps the flow-run subprocesses a worker starts; curl serves the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first (cached while only the code changes), then the code.
COPY pyproject.toml README.md ./
RUN mkdir -p newsflow flows transforms expectations warehouse \
    && touch newsflow/__init__.py flows/__init__.py transforms/__init__.py expectations/__init__.py \
       warehouse/__init__.py \
    && pip install . \
    && pip uninstall -y newsflow
COPY . .
RUN pip install --no-deps . && python -c "import newsflow.cli, flows.ingest"

RUN useradd --create-home --uid 10001 newsflow \
    && mkdir -p /data \
    && chown newsflow:newsflow /data
USER newsflow

# Runtime data (lake, DuckDB, Data Docs, report) lives on a volume; the API URL comes from the environment.
ENV NEWSFLOW_DATA_DIR=/data \
    PREFECT_HOME=/data/prefect \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    PREFECT_API_URL=
VOLUME ["/data"]

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["newsflow", "--help"]
