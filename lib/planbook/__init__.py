"""planbook: reproduce and check an e-commerce industry implementation plan, chapter by chapter."""

__version__ = "0.1.0"
