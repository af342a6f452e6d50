# The intake application image: one image for the api, watcher and worker services of
# docker-compose.yml (the command picks the role: `intake api`, `intake watch`, `intake worker`).
FROM python:3.11-slim-bookworm

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

WORKDIR /src
COPY pyproject.toml README.md ./
COPY pipeline ./pipeline
COPY classifiers ./classifiers
COPY storage ./storage
COPY config ./config
RUN pip install --no-cache-dir . \
    && rm -rf /src

# Non-root runtime user.  /drop is created here, owned by that user, so that a named volume
# mounted there starts out writable by it (the watcher deletes or moves ingested files).
# The working directory holds `var/`, the settings' default `home`.
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
    TESSDATA_PREFIX=/usr/share/tesseract-ocr/5/tessdata

# No HEALTHCHECK here: only the api serves HTTP; docker-compose.yml gives it its own.
ENTRYPOINT ["intake"]
CMD ["--help"]
