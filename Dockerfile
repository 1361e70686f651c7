# The Gongji app image: gunicorn with gunicorn.conf.py (docs/deploy.md). Settings come from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/gongji-prometheus

WORKDIR /srv/gongji
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY app.py cli.py cli_notify.py error_texts.py extensions.py logsafe.py gunicorn.conf.py ./
COPY mini mini
COPY nhsa nhsa
COPY services services
COPY migrations migrations
COPY static static
COPY translations translations

RUN useradd --system --uid 10001 gongji && mkdir -p instance && chown gongji instance
USER gongji

EXPOSE 8000
# The release step runs `flask --app app init-db` once per deploy (compose.yaml: the `release` service).
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
