"""Accounts: login, logout, lockout, sessions and API tokens."""
