"""Resettle: offline-first resettlement planning for women's prisons (England and Wales)."""

__version__ = "0.1.0"
