"""The caseload queries on plain SQLite and on SQLCipher, same schema and rows: the ratio.

Run: `make bench` or `.venv/bin/python benchmarks/bench_encryption_overhead.py`
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import sqlcipher3
from _common import demo_profile, median_ms, report
from sqlalchemy import create_engine, select, text

QUERIES = {
    "caseload list": None,  # the service's own query, below
    "count by custody": "SELECT custody_status, count(*) FROM people GROUP BY custody_status",
    "name search": "SELECT id FROM people WHERE family_name LIKE '%ook%' "
    "OR given_names LIKE '%ook%'",
    "release window": "SELECT id FROM people "
    "WHERE release_date BETWEEN '2026-11-01' AND '2027-02-01'",
}


def main() -> None:
    from app.services import vault
    from app.store.engine import connect_raw
    from app.store.models import Person

    profile = demo_profile(5000)
    ws = vault.unlock(profile, "admin", "demo-passphrase")
    plain_path = Path(tempfile.mkdtemp()) / "plain.db"
    # Decrypt a copy into a plain SQLite file (sqlcipher_export with an empty key).
    raw = connect_raw(profile / "resettle.db", ws.db_key)
    raw.isolation_level = None
    raw.execute(f"ATTACH DATABASE '{plain_path}' AS plain KEY ''")
    raw.execute("SELECT sqlcipher_export('plain')")
    raw.execute("DETACH DATABASE plain")
    raw.close()
    engines = {
        # The same SQLite build SQLCipher ships, on an unencrypted copy: the cost of encryption.
        "sqlcipher build, plain file": create_engine(
            "sqlite://", module=sqlcipher3.dbapi2,
            creator=lambda: sqlcipher3.connect(str(plain_path), check_same_thread=False),
        ),
        # Python's own sqlite3 (another SQLite version and build): the cost of the whole stack.
        "stdlib sqlite3, plain file": create_engine(f"sqlite:///{plain_path}"),
    }
    columns = (Person.id, Person.prison_number, Person.family_name, Person.given_names,
               Person.aliases, Person.date_of_birth, Person.release_date, Person.custody_status)
    for label, plain in engines.items():
        ratios = []
        print(f"-- encrypted vs {label}")
        for name, sql in QUERIES.items():
            statement = select(*columns) if sql is None else text(sql)

            def run(engine, statement=statement) -> None:  # noqa: ANN001
                with engine.connect() as conn:
                    conn.execute(statement).fetchall()

            plain_ms = median_ms(lambda: run(plain), repeat=15)  # noqa: B023
            cipher_ms = median_ms(lambda: run(ws.engine), repeat=15)  # noqa: B023
            ratios.append(cipher_ms / plain_ms)
            print(f"{name:<20} plain {plain_ms:7.2f} ms   sqlcipher {cipher_ms:7.2f} ms   "
                  f"x{cipher_ms / plain_ms:.2f}")
        report(f"median ratio vs {label}", statistics.median(ratios), "x", "<= 1.5")
    ws.lock()


if __name__ == "__main__":
    main()
