"""Notebook helpers: HTML views and widgets used by notebooks/ (kept here so they are unit-tested)."""
