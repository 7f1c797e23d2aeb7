# The service image: the installed package and its `ledger` command (no dev tools).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml ./
COPY domain ./domain
COPY ledger ./ledger
COPY projections ./projections
COPY api ./api
COPY scheduler ./scheduler
COPY cli ./cli
COPY store ./store
COPY workers ./workers
RUN pip install .
# An unprivileged user; the default SQLite store (var/) is then writable under /app.
RUN useradd --create-home ledger && mkdir -p /app/var && chown ledger /app/var
USER ledger
CMD ["ledger", "serve", "--host", "0.0.0.0", "--port", "8000"]
