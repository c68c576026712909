"""Typer commands: thin layers that parse options, call one service, and render."""
