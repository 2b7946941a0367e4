"""Loaders and row schemas of the book's data.

The plan's tables, official statistics and the glossary, each checked on load.
"""
