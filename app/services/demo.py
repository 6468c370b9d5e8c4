"""A demo workstation full of clearly fictional women, for training and for trying Resettle.

Every name is drawn from short invented lists and every prison number starts with Z, a letter
NOMIS does not issue, so demo data can never be mistaken for a real person's record.
"""

from __future__ import annotations

import json
import random
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.domain import needs_rules, questionnaire, reference
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import (
    AccommodationCode,
    ConsentMethod,
    ConsentScope,
    CouncilChoice,
    CrsComplexity,
    CrsService,
    CustodyStatus,
    MappaLevel,
    Owner,
    Pathway,
    ReferralStatus,
    ReferralType,
    ReleaseType,
    ScreeningKind,
    ScreeningStatus,
    TaskStatus,
)
from app.domain.directory import DirectoryEntry
from app.domain.person import PersonDraft
from app.domain.questionnaire import Answers, Questionnaire
from app.domain.timezone import london_to_utc, now_utc, today_london
from app.domain.working_days import WorkingCalendar
from app.services import needs, vault
from app.services.calendar import working_calendar
from app.services.workspace import Workspace
from app.store.models import (
    Consent,
    CourtDate,
    Person,
    Plan,
    PlanTask,
    Referral,
    ReleaseOutcome,
    Screening,
    Setting,
)

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
_STATUS = ((CustodyStatus.SENTENCED, 60), (CustodyStatus.REMAND, 25),
           (CustodyStatus.RECALL, 10), (CustodyStatus.CONVICTED_UNSENTENCED, 5))
_NOT_SENTENCED = (CustodyStatus.REMAND, CustodyStatus.CONVICTED_UNSENTENCED)
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
        status = CustodyStatus(_pick(rng, _STATUS)[0])
        # From yesterday back: a reception later today would be in the future (and invalid).
        oldest = 900 if status == CustodyStatus.SENTENCED else 200
        recent = rng.random() < 0.05  # a realistic trickle of new receptions still in induction
        received = today - timedelta(days=rng.randrange(1, 10 if recent else oldest))
        reception_at = london_to_utc(
            received, time(rng.randrange(9, 20), rng.choice((0, 15, 30, 45)))
        )
        release: date | None
        if status in _NOT_SENTENCED and rng.random() < 0.8:
            release = None
        elif rng.random() < 0.05:
            release = None
        else:
            # Some women released over the past year, so outcome reports have something to show.
            past = status == CustodyStatus.SENTENCED and rng.random() < 0.2
            release = today + timedelta(days=rng.randrange(-365, -11) if past
                                        else rng.randrange(-10, 365))
            release = max(release, received + timedelta(days=1))
            if release.weekday() >= 5:  # weekend release dates are brought forward to Friday
                friday = release - timedelta(days=release.weekday() - 4)
                release = friday if friday > received else release + timedelta(
                    days=7 - release.weekday())
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
                release_type=(ReleaseType.CRD_LICENCE
                              if status == CustodyStatus.SENTENCED and release else ""),
                home_local_authority=rng.choice(london if rng.random() < 0.5 else councils),
                mappa_level=rng.choice(("", "", "", "", "", "", *MappaLevel)),
                pom_name=rng.choice(_STAFF) if status == CustodyStatus.SENTENCED else "",
                cpp_name=(rng.choice(_STAFF)
                          if status in (CustodyStatus.SENTENCED, CustodyStatus.RECALL) else ""),
                key_worker_name=rng.choice(_STAFF),
                notes="Fictional demo record.",
            )
        )
    return people


def fictional_answers(form: Questionnaire, rng: random.Random) -> Answers:
    """A plausible, valid set of answers: options drawn at random, texts clearly fictional."""
    answers: Answers = {}
    for question in form.questions():
        if not form.is_visible(question, answers) or (
            not question.required and rng.random() < 0.5
        ):
            continue
        if question.type == "single":
            answers[question.id] = rng.choice(question.options).code
        elif question.type == "multi":
            plain = [o.code for o in question.options if not o.exclusive]
            answers[question.id] = rng.sample(plain, k=min(len(plain), rng.randint(1, 2)))
        elif question.type == "date":
            answers[question.id] = (today_london() - timedelta(days=rng.randrange(30, 900))
                                    ).isoformat()
        else:
            answers[question.id] = "Fictional demo answer."
    return form.clean(answers)


def _demo_screenings(session: Session, persons: list[Person], rng: random.Random,
                     calendar: WorkingCalendar) -> None:
    """Older receptions are fully screened; the last few days' are part way through."""
    now = now_utc()
    forms = {kind: questionnaire.load(kind) for kind in ScreeningKind}
    for person in persons:
        age = now - person.reception_at
        stages = [ScreeningKind.BCST1, ScreeningKind.BCST2] if age > timedelta(days=8) else (
            [ScreeningKind.BCST1] if age > timedelta(days=2) and rng.random() < 0.7 else [])
        merged: Answers = {}
        done_at = person.reception_at
        for kind in stages:
            form = forms[kind]
            answers = fictional_answers(form, rng)
            merged.update(answers)
            done_at = min(done_at + timedelta(hours=rng.randrange(6, 60)), now)
            session.add(Screening(
                person_id=person.id, kind=kind, questionnaire_version=form.version,
                status=ScreeningStatus.COMPLETED, answers=json.dumps(answers, sort_keys=True),
                started_at=done_at, started_by=DEMO_USER, updated_at=done_at,
                updated_by=DEMO_USER, completed_at=done_at, completed_by=DEMO_USER,
            ))  # fmt: skip
        if merged:
            facts = {"custody_status": person.custody_status, "nationality": person.nationality,
                     "interpreter_needed": str(person.interpreter_needed).lower(),
                     "mappa_level": person.mappa_level,
                     "release_date_known": "true" if person.release_date else "false"}
            templates = needs_rules.derive(merged, facts)
            needs.propose(session, person.id, templates, calendar, DEMO_USER)


def _demo_planning(session: Session, persons: list[Person], rng: random.Random
                   ) -> list[tuple[Person, Plan]]:  # fmt: skip
    """Plans for those within 12 weeks, referrals (some with consent, some without), hearings;
    the plans opened, for _demo_busy_plans."""
    from app.services.planning import open_plan

    today = today_london()
    now = now_utc()
    plans: list[tuple[Person, Plan]] = []
    codes = (("A01C", 14), ("A01D", 10), ("A07B", 10), ("A04", 8), ("A17", 10), ("A02", 6),
             ("A07A", 8), ("A03", 5), ("A08A", 4), ("NFA", 5), (None, 20))
    for person in persons:
        if person.release_date is not None and person.release_date < today - timedelta(days=10):
            code = rng.choices([c for c, _ in codes], weights=[w for _, w in codes])[0]
            if code is not None:  # None: nobody recorded where she went, which reports must show
                followed = (today - person.release_date).days >= 84 and rng.random() < 0.7
                session.add(ReleaseOutcome(
                    person_id=person.id, released_on=person.release_date,
                    accommodation_code=AccommodationCode(code),
                    address=("" if code in (AccommodationCode.NFA, AccommodationCode.A08A)
                             else "Fictional address"),
                    recorded_at=now, recorded_by=DEMO_USER,
                    sustained_12_weeks=(rng.random() < 0.7) if followed else None,
                    sustained_recorded_on=(min(person.release_date + timedelta(days=90), today)
                                           if followed else None),
                ))  # fmt: skip
            continue
        if person.release_date is None:
            if person.custody_status in _NOT_SENTENCED:
                session.add(CourtDate(person_id=person.id,
                                      hearing_on=today + timedelta(days=rng.randrange(3, 60)),
                                      court="Fictional Crown Court", notes=""))
            continue
        days = (person.release_date - today).days
        if days < 0 or days > 84:
            continue
        plan = open_plan(session, person, DEMO_USER, today - timedelta(days=max(0, 84 - days)))
        plans.append((person, plan))
        if rng.random() < 0.6:
            plan.tenancy_advice_offered_on = today - timedelta(days=rng.randrange(0, 10))
        if days < 30 and rng.random() < 0.5:
            plan.accommodation_identified_on = today - timedelta(days=rng.randrange(0, 5))
            plan.accommodation_summary = "Fictional supported housing place agreed."
        consented = rng.random() < 0.75
        if consented:
            session.add(Consent(person_id=person.id, scope=ConsentScope.ALL,
                                shared_with="Home council and CRS provider (fictional)",
                                given_on=today - timedelta(days=rng.randrange(10, 30)),
                                method=rng.choice((ConsentMethod.VERBAL,
                                                   ConsentMethod.SIGNED_FORM)),
                                recorded_by=DEMO_USER, recorded_at=now, notes=""))
        if rng.random() < 0.7:
            submitted = consented and rng.random() < 0.8
            session.add(Referral(
                person_id=person.id, type=ReferralType.DUTY_TO_REFER,
                status=ReferralStatus.SUBMITTED if submitted else ReferralStatus.DRAFT,
                council_code=person.home_local_authority or "E09000012",
                council_choice=CouncilChoice.LOCAL_CONNECTION, reference=f"DEMO-{person.id:05d}",
                submitted_on=today - timedelta(days=rng.randrange(0, 9)) if submitted else None,
                created_at=now, created_by=DEMO_USER, updated_at=now, updated_by=DEMO_USER,
            ))  # fmt: skip
        if rng.random() < 0.4:
            session.add(Referral(
                person_id=person.id, type=ReferralType.CRS,
                status=ReferralStatus.SUBMITTED if consented else ReferralStatus.DRAFT,
                crs_service=CrsService.WOMENS_SERVICES, complexity=rng.choice(tuple(CrsComplexity)),
                submitted_on=today - timedelta(days=rng.randrange(0, 9)) if consented else None,
                created_at=now, created_by=DEMO_USER, updated_at=now, updated_by=DEMO_USER,
            ))  # fmt: skip
    return plans


# Tasks a team adds by hand to a busy plan (generic wording, nobody real).
_EXTRA_TASKS = (
    (Pathway.FINANCE_AND_ID, "Apply for her birth certificate so she can open a bank account"),
    (Pathway.FINANCE_AND_ID, "Book the Jobcentre appointment for the day after release"),
    (Pathway.FINANCE_AND_ID, "Check the advance payment of Universal Credit is set up"),
    (Pathway.HEALTH, "Register her with a GP near her release address"),
    (Pathway.HEALTH, "Ask healthcare for a copy of her care plan to take with her"),
    (Pathway.HEALTH, "Arrange the first community mental health appointment"),
    (Pathway.CHILDREN_FAMILIES_AND_COMMUNITY,
     "Ask children's services about contact with her children"),
    (Pathway.CHILDREN_FAMILIES_AND_COMMUNITY, "Arrange a family visit before release"),
    (Pathway.ACCOMMODATION, "Chase the council for a decision on the duty to refer"),
    (Pathway.ACCOMMODATION, "Confirm the supported housing place in writing"),
    (Pathway.ACCOMMODATION, "Arrange travel from the prison to her accommodation"),
    (Pathway.EDUCATION_SKILLS_AND_WORK, "Pass her course certificates to the employment adviser"),
    (Pathway.DRUGS_AND_ALCOHOL, "Book the community drug service appointment for release day"),
    (Pathway.ATTITUDES_THINKING_AND_BEHAVIOUR,
     "Share the programme report with her probation practitioner"),
)  # fmt: skip


def _demo_busy_plans(session: Session, plans: list[tuple[Person, Plan]],
                     rng: random.Random) -> None:  # fmt: skip
    """Busy plans, as real caseloads have: about one woman in six with 30 to 45 open tasks,
    one in fifty with 60 to 120; some standard tasks already done. The EDIC list, which prints
    every open task, must cope with them (issue 13)."""
    now = now_utc()
    extra: list[dict[str, object]] = []
    for person, plan in plans:
        roll = rng.random()
        count = rng.randint(60, 120) if roll < 0.02 else rng.randint(12, 25) if roll < 0.18 else 0
        release = person.release_date or today_london()
        for n in range(count):
            pathway, title = _EXTRA_TASKS[n % len(_EXTRA_TASKS)]
            round_ = n // len(_EXTRA_TASKS)
            extra.append({
                "plan_id": plan.id, "pathway": pathway, "owner": rng.choice(tuple(Owner)),
                "title": title if round_ == 0 else f"{title} (follow-up {round_})",
                "due_date": release - timedelta(days=rng.randrange(0, 40)),
                "status": rng.choice((TaskStatus.NOT_STARTED, TaskStatus.NOT_STARTED,
                                      TaskStatus.IN_PROGRESS)),
                "notes": "", "source": "staff", "updated_at": now, "updated_by": DEMO_USER,
            })  # fmt: skip
    if extra:
        session.execute(insert(PlanTask), extra)


def make_demo(data_dir: Path, people: int, seed: int = 1, *, screenings: bool = True) -> int:
    """Create a new demo database (refuses to overwrite an existing one); return the count.

    `screenings=False` leaves every woman unscreened (the induction queue's worst case).
    """
    vault.initialise(
        data_dir, DEMO_ESTABLISHMENT, DEMO_USER, DEMO_PASSPHRASE, display_name="Demo Administrator"
    )
    ws = vault.unlock(data_dir, DEMO_USER, DEMO_PASSPHRASE)
    try:
        drafts = fictional_people(people, seed, today_london())
        with ws.operation(Action.DEMO_CREATED, RecordType.CASELOAD) as (session, entry):
            at = now_utc()
            session.merge(Setting(key="demo", value="1"))
            persons = [Person(**vars(d), created_at=at, updated_at=at) for d in drafts]
            session.add_all(persons)
            session.flush()
            if screenings:
                calendar = working_calendar(ws)
                with session.no_autoflush:  # new people only: nothing pending needs reading
                    _demo_screenings(session, persons, random.Random(seed + 1), calendar)
                    plans = _demo_planning(session, persons, random.Random(seed + 2))
                    _demo_busy_plans(session, plans, random.Random(seed + 3))
            entry.detail = f"count={len(drafts)}"
        _demo_directory(ws)
    finally:
        ws.lock()
    return len(drafts)


# Fictional services, so the demo's sheets show how contact details print. The numbers are in
# Ofcom's ranges kept for drama (never connected); real organisations are left name-only.
_DEMO_SERVICES = (
    DirectoryEntry("Demo Women's Centre (fictional)", "Advice and a safe place in the day",
                   phone="020 7946 0991", address="1 Example Street, London E1 0ZZ",
                   hours="Monday to Friday, 9:00 to 17:00",
                   languages=("en", "pl", "ro", "ar", "ur", "so"),
                   topics=("housing", "abuse", "money", "release")),
    DirectoryEntry("Demo Immigration Advice (fictional)", "Free, independent immigration advice",
                   phone="0117 496 0123", hours="Tuesday and Thursday, 10:00 to 16:00",
                   languages=("en", "vi", "zh", "ur", "ar", "fa", "sq"),
                   topics=("immigration",)),
    DirectoryEntry("Demo Money Advice (fictional)", "Benefits, debts and bank accounts",
                   phone="0161 496 0456", languages=("en", "pl", "lt", "ro"),
                   topics=("money",)),
)  # fmt: skip


def _demo_directory(ws: Workspace) -> None:
    from app.services import sheets

    for entry in _DEMO_SERVICES:
        sheets.save_service(ws, entry)
