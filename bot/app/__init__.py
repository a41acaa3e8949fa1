"""The composition root: the only package that wires concrete parts (storage, the platform
adapters, APScheduler, the sandbox): `runtime` (App), `cli`, `config`, `logs`, `spreadsheets`."""
