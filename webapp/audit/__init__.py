"""The audit trail: recording events and checking the hash chain."""
