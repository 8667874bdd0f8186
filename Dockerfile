FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/newsdb

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install . && useradd --system --home /srv/newsdb newsdb && chown newsdb /srv/newsdb
USER newsdb

EXPOSE 8000
# The compose file overrides this with the same two steps; see docker-compose.yml.
CMD ["sh", "-c", "newsdb migrate && exec newsdb serve --host 0.0.0.0 --port 8000"]
