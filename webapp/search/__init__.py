"""全文检索: Chinese full-text search through the access policy."""
