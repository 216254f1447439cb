"""文书管理: upload, versions, registration, download."""
