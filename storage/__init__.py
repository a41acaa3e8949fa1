"""aiosqlite storage: connection set-up, numbered migrations, backups and the repositories."""
