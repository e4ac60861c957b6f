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
COPY pyproject.toml README.md* ./
RUN mkdir -p newsflow flows transforms expectations warehouse \
    && touch newsflow/__init__.py flows/__init__.py transforms/__init__.py expectations/__init__.py \
       warehouse/__init__.py \
    && pip install . \
    && pip uninstall -y newsflow
COPY . .
RUN pip install --no-deps . && python -c "import newsflow.cli, flows.ingest"

# /data/inbox exists in the image so a fresh named volume starts with it (owned by the runtime user).
RUN useradd --create-home --uid 10001 newsflow \
    && mkdir -p /data/inbox \
    && chown -R newsflow:newsflow /data
USER newsflow

# Runtime data (lake, DuckDB, Data Docs, report) lives on a volume. PREFECT_API_URL is not baked in:
# it comes from the environment at run time (docker-compose.yml sets it to the prefect-server service).
ENV NEWSFLOW_DATA_DIR=/data \
    NEWSFLOW_INBOX=/data/inbox \
    PREFECT_HOME=/data/prefect \
    PREFECT_SERVER_ANALYTICS_ENABLED=false
VOLUME ["/data"]

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["newsflow", "--help"]
