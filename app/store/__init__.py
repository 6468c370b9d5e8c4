"""Encrypted storage: SQLCipher engine, key slots, models, migrations."""
