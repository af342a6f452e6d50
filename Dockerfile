# The intake application image: one image for the api, watcher and worker services of
# docker-compose.yml (the command picks the role: `intake api`, `intake watch`, `intake worker`).
#
# Pinned by digest, read from docker-library/repo-info, repos/python/remote/
# 3.11.16-slim-bookworm.md (the index digest, every platform).
FROM python:3.11.16-slim-bookworm@sha256:c425d915a89a6dcd3183b1797ad9bd8878caff5a417f6371c8df93c8ea8b727f

# Tesseract 5 with the languages the pipeline reads (Estonian first, Russian, English) plus
# orientation/script detection, poppler for PDF rasterising, and a font for rendered notices.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr \
        tesseract-ocr-est \
        tesseract-ocr-rus \
        tesseract-ocr-eng \
        tesseract-ocr-osd \
        poppler-utils \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Python packages exactly as locked: every one pinned and checked against its hash, wheels
# only (nothing is built from an sdist with unpinned build tools), and nothing resolved
# here (--no-deps: the lock is the whole set).  The lock also holds hatchling, the project's
# build backend, so the project itself installs without reaching an index.
WORKDIR /src
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps --only-binary :all: \
        -r requirements.lock
COPY pyproject.toml README.md ./
COPY pipeline ./pipeline
COPY classifiers ./classifiers
COPY storage ./storage
COPY config ./config
RUN pip install --no-cache-dir --no-deps --no-build-isolation --no-index . \
    && pip check \
    && rm -rf /src

# Non-root runtime user.  /drop is created here, owned by that user, so that a named volume
# mounted there starts out writable by it (the watcher deletes or moves ingested files).
# The working directory holds `var/`, the settings' default `home` (a tmpfs in compose, whose
# root file systems are read-only).
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /var/lib/intake \
        --shell /usr/sbin/nologin intake \
    && install -d -o intake -g intake -m 0750 /drop
USER intake
WORKDIR /var/lib/intake

# One OCR thread per process: parallelism comes from worker processes (scale the worker
# service), not from OpenMP inside Tesseract.  The tesserocr wheel bundles its own
# libtesseract, which does not know Debian's tessdata path: point it (and the CLI) there.
ENV OMP_THREAD_LIMIT=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TESSDATA_PREFIX=/usr/share/tesseract-ocr/5/tessdata

# No HEALTHCHECK here: the role decides it, so docker-compose.yml gives each service its own
# (the api's /healthz over HTTPS, `intake healthcheck --role watcher|worker` for the others).
ENTRYPOINT ["intake"]
CMD ["--help"]
