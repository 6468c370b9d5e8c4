"""The PySide6 window: a thin client of app.services (no SQL, no business rules here)."""
