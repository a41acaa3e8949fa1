"""The coordinators' web workspace: an aiohttp adapter over `bot.workspace` (pages rendered
with Jinja2, every sentence from the core's catalogue)."""
