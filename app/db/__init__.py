"""Database plumbing: engines and sessions, the one transaction helper, models, migrations,
replicas, race-safe upserts, JSON built in SQL, backups."""
