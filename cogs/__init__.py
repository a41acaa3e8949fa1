"""Discord adapter: discord.py cogs and components that translate interactions into core calls."""
