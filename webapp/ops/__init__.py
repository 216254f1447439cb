"""Operator tasks behind the CLI: reindex, verify, bulk import, backup and restore."""
