"""listing-audit: a data-quality auditor for TV and film catalogue listings."""

__version__ = "0.1.0"
