"""Shared state (accounts, sessions, API keys, audit, feedback, quiz results, rate-limit counters, write locks)
behind SQLAlchemy: a SQLite file per store under the data directory by default, one PostgreSQL database for all
of them when ASSISTANT_DATABASE_URL points to PostgreSQL, so that several `assistant serve` processes on
several machines share them. Each store's schema comes from ordered migrations (migrations.py)."""

from assistant.state.engine import (
    StateUnavailable,
    advisory_key,
    engine_for,
    is_postgres,
    state_location,
    state_url,
    write_transaction,
)

__all__ = ["StateUnavailable", "advisory_key", "engine_for", "is_postgres", "state_location", "state_url",
           "write_transaction"]
