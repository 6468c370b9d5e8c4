"""Pure rules: no I/O, no database, no Qt. Dates come in as arguments so tests can pin them."""
