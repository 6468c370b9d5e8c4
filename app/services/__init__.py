"""Use cases: one function is one user action, one transaction and one audit entry."""
