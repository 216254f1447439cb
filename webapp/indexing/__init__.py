"""Keeping the search index in step with the database: outbox jobs, worker, reindex, verify."""
