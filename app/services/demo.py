"""A demo workstation full of clearly fictional women, for training and for trying Resettle.

Every name is drawn from short invented lists and every prison number starts with Z, a letter
NOMIS does not issue, so demo data can never be mistaken for a real person's record.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from pathlib import Path

from app.domain import reference
from app.domain.person import PersonDraft
from app.domain.timezone import london_to_utc, now_utc, today_london
from app.services import vault
from app.store.models import Person, Setting

DEMO_USER = "admin"
DEMO_PASSPHRASE = "demo-passphrase"
DEMO_ESTABLISHMENT = "HMP Demo (fictional data)"

_GIVEN = (
    "Amara",
    "Beth",
    "Carys",
    "Dana",
    "Elif",
    "Fern",
    "Gita",
    "Hana",
    "Ines",
    "Jola",
    "Kasia",
    "Lena",
    "Mira",
    "Nadia",
    "Olu",
    "Pia",
    "Rosa",
    "Sana",
    "Tami",
    "Una",
    "Vesna",
    "Wren",
    "Yara",
    "Zofia",
    "Aoife",
    "Blessing",
    "Chen",
    "Dilnoza",
    "Esi",
    "Farah",
)
_FAMILY = (
    "Ashdown",
    "Brackwell",
    "Corrin",
    "Dunmore",
    "Elsworth",
    "Fenwick",
    "Gallow",
    "Harrowby",
    "Ivesley",
    "Jessop",
    "Kilbride",
    "Lantern",
    "Merriot",
    "Nettle",
    "Orrell",
    "Pennock",
    "Quill",
    "Rookwood",
    "Saltmarsh",
    "Thistlewood",
    "Underhill",
    "Vantage",
    "Wexcombe",
    "Yarrow",
    "Zeal",
    "Novakova",
    "Petrescu",
    "Okafor",
    "Nguyen",
    "Hoxha",
    "Kowalczyk",
    "Jankauskaite",
    "Rahman",
    "Karimi",
    "Tesfaye",
)
# (nationality, first language, weight): mostly British, then the commonest foreign nationals.
_ORIGINS = (
    ("GB", "en", 70),
    ("AL", "sq", 4),
    ("PL", "pl", 4),
    ("RO", "ro", 4),
    ("IE", "en", 3),
    ("LT", "lt", 2),
    ("JM", "en", 2),
    ("IN", "pa", 1),
    ("PK", "ur", 1),
    ("PT", "pt", 1),
    ("IQ", "ckb", 1),
    ("VN", "vi", 1),
    ("CN", "zh", 1),
    ("NG", "yo", 1),
    ("SO", "so", 1),
    ("BD", "bn", 1),
    ("IR", "fa", 1),
    ("ER", "ti", 1),
)
_STATUS = (("SENTENCED", 60), ("REMAND", 25), ("RECALL", 10), ("CONVICTED_UNSENTENCED", 5))
_SUFFIX_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"
_STAFF = ("J. Okoro", "S. Patel", "R. Hughes", "L. Morgan", "K. Brennan", "T. Adeyemi")


def _pick(rng: random.Random, weighted: tuple[tuple[object, ...], ...]) -> tuple[object, ...]:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]  # type: ignore[misc]


def fictional_people(count: int, seed: int, today: date) -> list[PersonDraft]:
    rng = random.Random(seed)
    councils = list(reference.local_authorities())
    london = [c for c in councils if c.startswith("E09")]
    numbers: set[str] = set()
    people = []
    while len(people) < count:
        letters = "".join(rng.choice(_SUFFIX_LETTERS) for _ in range(2))
        number = f"Z{rng.randrange(10000):04d}{letters}"
        if number in numbers:
            continue
        numbers.add(number)
        nationality, language, _ = _pick(rng, _ORIGINS)
        status = str(_pick(rng, _STATUS)[0])
        # From yesterday back: a reception later today would be in the future (and invalid).
        received = today - timedelta(days=rng.randrange(1, 900 if status == "SENTENCED" else 200))
        reception_at = london_to_utc(
            received, time(rng.randrange(9, 20), rng.choice((0, 15, 30, 45)))
        )
        release: date | None
        if status in ("REMAND", "CONVICTED_UNSENTENCED") and rng.random() < 0.8:
            release = None
        elif rng.random() < 0.05:
            release = None
        else:
            release = today + timedelta(days=rng.randrange(-10, 365))
            release = max(release, received + timedelta(days=1))
        release_time = (
            time(rng.choice((8, 9, 10, 14, 17, 18)), 0) if release and rng.random() < 0.3 else None
        )
        given = rng.choice(_GIVEN) + (f" {rng.choice(_GIVEN)}" if rng.random() < 0.3 else "")
        people.append(
            PersonDraft(
                prison_number=number,
                family_name=rng.choice(_FAMILY),
                given_names=given,
                aliases="",
                date_of_birth=today - timedelta(days=rng.randrange(18 * 365 + 5, 70 * 365)),
                nationality=str(nationality),
                first_language=str(language),
                interpreter_needed=language != "en" and rng.random() < 0.5,
                custody_status=status,
                reception_at=reception_at,
                release_date=release,
                release_time=release_time,
                release_type="CRD_LICENCE" if status == "SENTENCED" and release else "",
                home_local_authority=rng.choice(london if rng.random() < 0.5 else councils),
                mappa_level=rng.choice(("", "", "", "", "", "", "1", "2", "3")),
                pom_name=rng.choice(_STAFF) if status == "SENTENCED" else "",
                cpp_name=rng.choice(_STAFF) if status in ("SENTENCED", "RECALL") else "",
                key_worker_name=rng.choice(_STAFF),
                notes="Fictional demo record.",
            )
        )
    return people


def make_demo(data_dir: Path, people: int, seed: int = 1) -> int:
    """Create a new demo database (refuses to overwrite an existing one); return the count."""
    vault.initialise(
        data_dir, DEMO_ESTABLISHMENT, DEMO_USER, DEMO_PASSPHRASE, display_name="Demo Administrator"
    )
    ws = vault.unlock(data_dir, DEMO_USER, DEMO_PASSPHRASE)
    try:
        drafts = fictional_people(people, seed, today_london())
        with ws.operation("demo_created", "caseload") as (session, entry):
            at = now_utc()
            session.merge(Setting(key="demo", value="1"))
            session.add_all(Person(**vars(d), created_at=at, updated_at=at) for d in drafts)
            entry.detail = f"count={len(drafts)}"
    finally:
        ws.lock()
    return len(drafts)
