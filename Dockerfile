# syntax=docker/dockerfile:1
#
# MAPPA Governance: one image for every process of the service.
#   web      gunicorn (the default CMD)
#   worker   celery -A config worker --loglevel=INFO
#   beat     celery -A config beat --loglevel=INFO --schedule=/tmp/celerybeat-schedule  (exactly one)
#   migrate  python manage.py migrate --noinput
# docker-compose.yml runs them all; the README's "Production" section explains.

# ---------------------------------------------------------------------------
# Stage 1: compile the stylesheet and fetch the front-end packages.
# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS frontend

WORKDIR /build

# The lock file alone decides what is installed (sass is a devDependency, so
# NODE_ENV must not be "production" here; the node image does not set it).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# sass reads node_modules/govuk-frontend and @ministryofjustice/frontend through
# --load-path=. and writes static/build/application.css and print.css.
COPY static/scss static/scss
RUN npm run build


# ---------------------------------------------------------------------------
# Stage 2: the application.
# ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

# WeasyPrint's system libraries (Pango, HarfBuzz subsetting, fontconfig via
# pangoft2) and a font for the PDFs. Pillow, pypdfium2 and psycopg2-binary ship
# their own libjpeg, zlib, PDFium and libpq in their wheels. tzdata backs
# TIME_ZONE = "Europe/London". LibreOffice's Writer and Calc, without a GUI,
# convert DOCX, XLSX and ODT papers to PDF for disclosure (disclosure/files/office.py),
# with fonts metric-compatible with those of Microsoft Office (Liberation for
# Arial, Times New Roman and Courier New; Carlito for Calibri; Caladea for
# Cambria), so that the converted pages break where the author's did.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        tzdata \
        libreoffice-writer-nogui \
        libreoffice-calc-nogui \
        fonts-liberation2 \
        fonts-crosextra-carlito \
        fonts-crosextra-caladea \
    ; \
    rm -rf /var/lib/apt/lists/*

# The service runs as this unprivileged user. Its home directory holds
# gunicorn's control socket and fontconfig's cache.
RUN set -eux; \
    groupadd --system --gid 10001 mappa; \
    useradd --system --uid 10001 --gid mappa --home-dir /home/mappa --create-home \
        --shell /usr/sbin/nologin mappa

# The code runs from /app, the source tree, rather than from site-packages:
# BASE_DIR is the folder above config/, and templates/, static/ and node_modules/
# live there, not in any package. So only the pinned dependencies are installed
# (read from pyproject.toml; the dev extras are not) and /app goes on PYTHONPATH
# for gunicorn, celery and manage.py alike.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

WORKDIR /app

# Exactly the production dependencies of requirements.lock, each file checked against its hash.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

# The parts of node_modules that settings.STATICFILES_DIRS reads, at the same paths.
COPY --from=frontend /build/node_modules/govuk-frontend/dist /app/node_modules/govuk-frontend/dist
COPY --from=frontend /build/node_modules/@ministryofjustice/frontend/moj /app/node_modules/@ministryofjustice/frontend/moj
COPY --from=frontend /build/node_modules/htmx.org/dist /app/node_modules/htmx.org/dist

# The project (.dockerignore keeps out .venv, node_modules, static/build,
# databases, media, tests and secrets), then the compiled stylesheet.
COPY . /app
COPY --from=frontend /build/static/build /app/static/build

# Byte-compile the project, and gather static files into /app/staticfiles with
# WhiteNoise's hashed, compressed manifest. Settings refuse to load without a
# SECRET_KEY when DEBUG is off; this throwaway one exists only for this command
# and is not kept in the image's environment.
RUN set -eux; \
    python -m compileall -q /app; \
    SECRET_KEY=build-only-collectstatic-not-a-real-key python manage.py collectstatic --noinput; \
    install -d -o mappa -g mappa -m 0750 /data/media

# Uploaded papers. Mount a volume here (shared storage when there is more than
# one host); a new named volume copies this directory's ownership.
VOLUME ["/data/media"]

USER 10001:10001

EXPOSE 8000

# /healthz answers 200 when the database and the broker answer, else 503 (which
# urllib raises as an error, so the check fails). Django checks the Host header
# against ALLOWED_HOSTS, so the probe sends the first usable entry of it, and it
# ignores any HTTP_PROXY set for outgoing traffic.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = next((x.strip().lstrip('.') for x in os.environ.get('ALLOWED_HOSTS', '').split(',') if x.strip() not in ('', '*')), 'localhost'); u.build_opener(u.ProxyHandler({})).open(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=8)"]

# gunicorn takes its number of workers from WEB_CONCURRENCY (default 3 above);
# GUNICORN_CMD_ARGS adds any other option. The timeout leaves room for PDFs.
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "60", \
     "--access-logfile", "-"]
