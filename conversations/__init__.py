"""Telegram adapter: python-telegram-bot handlers that translate updates into core calls."""
