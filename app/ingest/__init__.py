"""Scrape ingest: the pure pipeline (`pipeline/`), and the service that files what it parses
under outlet, authors and tags (`service`, `outlets`, `tags`, `sources`, `units`, `router`)."""
