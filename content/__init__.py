"""The shipped edition, installed as package data (``reader._content``) for importlib.resources."""
