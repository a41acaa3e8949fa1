"""Local fake Telegram and Discord servers on 127.0.0.1, for the tests and the sandbox demo."""
