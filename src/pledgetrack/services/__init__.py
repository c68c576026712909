"""Use cases that combine the store with domain rules; the CLI calls these."""
