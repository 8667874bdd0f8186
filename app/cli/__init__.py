"""The `newsdb` command: `main` (migrate, serve, keys, vocabulary), `ingest`, `backup`."""
