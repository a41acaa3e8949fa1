"""The domain: models, errors, ports (Protocols), clock, text, languages and time zones.

No I/O and no services live here; everything else imports from it."""
