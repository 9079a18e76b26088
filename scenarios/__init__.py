"""Bundled lesson scenarios (TOML files beside this module)."""
