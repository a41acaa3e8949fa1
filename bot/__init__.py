"""Pen pal bot: the shared async core (models, services, ports, config) and its composition root."""
