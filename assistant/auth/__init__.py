"""Accounts, sessions, API keys and the audit log. The front ends (API, UI, CLI) authenticate a user here and
pass `user.access` to the library; the library itself never sees passwords or tokens."""
