"""Reminders: the policy (`policy`, with its SQL twin in storage/_due.py) and the sweep that
queues what is due (`sweep`)."""
