"""Ingest: fetch URLs, parse feeds and OPML lists, and read local article files."""
