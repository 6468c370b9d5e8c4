"""Printable documents (PDF) made from records, for the paper file; no Qt here."""
