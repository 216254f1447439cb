"""engagements feature."""
