"""Made-up personal details and services for `resettle sheet --sample` and the tests.

Nothing here is a real person or a real phone number: the prison number starts with Z (not a
prefix HMPPS issues), the names are invented, and phone numbers come from Ofcom's ranges kept
for drama (01632 960xxx, 020 7946 0xxx), which are never connected.
"""

from __future__ import annotations

from datetime import date, time

from app.domain.directory import DirectoryEntry
from app.sheets.compose import SheetPerson

SAMPLE_ESTABLISHMENT = "HMP Sample (women's prison)"

SAMPLE_PERSON = SheetPerson(
    name="Maria Ionescu-Kowalska",
    prison_number="Z1234AB",
    release_date=date(2026, 12, 4),
    release_time=time(9, 30),
    council="Hackney",
    warnings=("WEEKEND",),
    arrangements=(
        ("SLEEP_TONIGHT", "Sample House hostel, 12 Example Road, London E8 1AA. Room confirmed "
                          "by the housing officer."),
        ("TRANSPORT", "Travel warrant for the 10:15 train to London Liverpool Street."),
        ("MET_AT_GATE", "Ana from the Sample Women's Centre, at the main gate."),
        ("PROBATION_REPORTING", "Friday 4 December at 14:00, Sample Probation Office, "
                                "3 Test Street, London E8 2BB."),
        ("MEDICATION", "7 days of your medication, in the bag from healthcare."),
    ),
    contacts=(("EMERGENCY_CONTACTS", "Sample Women's Centre: 020\u00a07946\u00a00123"),),
)

SAMPLE_DIRECTORY = (
    DirectoryEntry("Sample Women's Centre", "Advice and a safe place to go during the day",
                   phone="020 7946 0123", address="5 Example Lane, London E8 3CC",
                   hours="Monday to Friday, 9:00 to 17:00", languages=("en", "pl", "ro", "ar"),
                   topics=("housing", "abuse", "money", "release")),
    DirectoryEntry("Sample Immigration Advice Service", "Free, independent immigration advice",
                   phone="01632 960 111", hours="Tuesday and Thursday, 10:00 to 16:00",
                   languages=("en", "ur", "vi", "zh"), topics=("immigration",)),
    DirectoryEntry("Hibiscus Initiatives", "Support for foreign national and migrant women",
                   topics=("immigration", "housing")),
    DirectoryEntry("Refuge", "Support for women experiencing domestic abuse", topics=("abuse",)),
)  # fmt: skip
