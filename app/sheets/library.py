"""The information sheets: what each one says, in plain English, as gettext message ids.

Every string marked with N_ is a message id in translations/sheets.pot; the catalogues in
translations/<lang>/LC_MESSAGES/sheets.po translate them. Write for a reading age of about 9:
short sentences, everyday words, one idea per sentence. Never put a phone number or an address
here: contact details come only from the team's service directory.

Changing a message id here makes every translation of it missing: run `make catalogues`, send the
new ids to translators, and the tests will refuse the build until every catalogue is complete.

Sheet ids, block kinds and topic codes are a contract with the command line (`resettle sheet
--sheet ID`), the history of what she was given and the service directory: keep them.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a message id for extraction; translation happens when the sheet is drawn."""
    return message


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Services:
    """The directory's entries for a topic, in the directory's order."""

    topic: str


@dataclass(frozen=True)
class Personal:
    """Her own details, filled in from her record when the sheet is printed.

    kinds: COUNCIL (her home council, if known), RELEASE_WHEN (date and time, or not known yet),
    RELEASE_WARNING (Friday, eve of a holiday or late in the day), ARRANGEMENTS (what staff
    wrote on her release-day checklist), CONTACTS (contacts from the checklist).
    """

    kind: str


Block = Heading | Para | Bullets | Services | Personal


@dataclass(frozen=True)
class Sheet:
    id: str
    title: str
    blocks: tuple[Block, ...]


# --- words used on every sheet ---------------------------------------------------------------

NAME = N_("Name")
PRISON_NUMBER = N_("Prison number")
LANGUAGE = N_("Language")
PRINTED = N_("Printed on %(date)s")
PAGE = N_("Page %(page)s of %(pages)s")
ASK = N_("If you do not understand this sheet, ask staff for an interpreter.")
DRAFT = N_("This translation is a draft. A qualified translator has not checked it yet.")
REVIEWED = N_("This translation was checked by %(name)s on %(date)s.")
PHONE = N_("Phone")
ADDRESS = N_("Address")
HOURS = N_("Opening hours")
LANGUAGES_SPOKEN = N_("Languages spoken")
ASK_STAFF_CONTACT = N_("Ask staff for their contact details.")
NO_SERVICES = N_("Ask staff which services can help you.")
KEEP = N_("Keep this sheet with you.")

# Personal details
COUNCIL_IS = N_("Your council: %(council)s")
COUNCIL_UNKNOWN = N_("Staff will talk to you about which council to contact.")
LEAVE_ON = N_("You leave prison on %(date)s.")
LEAVE_AT = N_("Time: %(time)s")
DATE_NOT_KNOWN = N_("Your release date is not known yet. Staff will tell you when they know it.")
WARNING_WEEKEND = N_(
    "You leave just before a weekend or a bank holiday. Many offices will be closed. "
    "Go to your appointments straight away."
)
WARNING_LATE = N_(
    "You leave late in the day. Many offices close at 5 pm. Go straight to your first "
    "appointment."
)
NOTHING_ARRANGED = N_(
    "Staff have not written down your arrangements yet. Ask them before you leave."
)
YOUR_COUNCIL_HOUSING = N_("Your council (ask for the housing options team)")

# The labels for what staff wrote on her release-day checklist (codes from app.domain.release_day)
ARRANGEMENT_LABELS = {
    "SLEEP_TONIGHT": N_("Where you will sleep tonight"),
    "EMERGENCY_ACCOMMODATION": N_("Emergency accommodation"),
    "TRANSPORT": N_("How you get there"),
    "MET_AT_GATE": N_("Who meets you at the gate"),
    "PROBATION_REPORTING": N_("When and where you report to probation"),
    "BENEFITS": N_("Universal Credit and the Jobcentre"),
    "MEDICATION": N_("Your medication"),
    "GP": N_("Your doctor (GP)"),
}
CONTACT_LABELS = {
    "EMERGENCY_CONTACTS": N_("Emergency contacts"),
    "CHILDRENS_SOCIAL_CARE": N_("Children's social care"),
}

# The topics a directory entry can be listed under, with the sheet that lists it.
TOPICS = {
    "housing": N_("Housing"),
    "immigration": N_("Immigration advice"),
    "abuse": N_("Abuse and safety"),
    "money": N_("Money, ID and benefits"),
    "release": N_("Release day"),
}

# --- the sheets -------------------------------------------------------------------------------

HOUSING = Sheet(
    "housing-before-release",
    N_("Your housing before release"),
    (
        Para(N_("This sheet is about where you will live when you leave prison. Staff here "
                "can help you.")),
        Para(N_("If you may have nowhere safe to live when you leave, tell staff now. Do not "
                "wait until your release day."), strong=True),
        Heading(N_("The duty to refer")),
        Para(N_("The law says prison staff must tell a council if you may be homeless when "
                "you leave. This is called the duty to refer.")),
        Para(N_("Staff will ask you which council you want them to contact. You choose.")),
        Para(N_("Staff need your permission to share your details with the council. You can "
                "say yes or no.")),
        Personal("COUNCIL"),
        Para(N_("The council will then decide how it can help you.")),
        Heading(N_("What the council will ask you")),
        Bullets((
            N_("Your name, date of birth and release date."),
            N_("Where you lived before prison, and for how long."),
            N_("If you have children, and who looks after them now."),
            N_("If you have health needs or a disability."),
            N_("If you have family or work in the area."),
            N_("Your immigration status, if you are not a British citizen."),
        )),
        Heading(N_("Local connection")),
        Para(N_("A council usually helps people who have a local connection to its area. You "
                "have a local connection if you lived there, work there or have close family "
                "there.")),
        Para(N_("If you are at risk of abuse in an area, you do not need a local connection to "
                "ask another council for help.")),
        Heading(N_("What to bring or keep")),
        Bullets((
            N_("Any ID, such as a passport, an ID card or a birth certificate."),
            N_("Letters from the council, your landlord or the Home Office."),
            N_("Your licence papers, if you have them."),
            N_("The phone numbers of people who can help you."),
        )),
        Heading(N_("If you are not safe where you lived")),
        Para(N_("If you are afraid of someone where you lived, tell staff. You do not have to "
                "go back there. Staff can ask a different council to help you.")),
        Heading(N_("Who can help")),
        Services("housing"),
    ),
)

RELEASE_DAY = Sheet(
    "release-day",
    N_("Your release day"),
    (
        Personal("RELEASE_WHEN"),
        Personal("RELEASE_WARNING"),
        Heading(N_("What is arranged for you")),
        Personal("ARRANGEMENTS"),
        Heading(N_("What to take with you")),
        Bullets((
            N_("This sheet."),
            N_("Your ID and your bank card, if you have them."),
            N_("Your licence papers."),
            N_("Your medication and your prescription."),
            N_("Your discharge grant (money for your first days)."),
            N_("A phone, and the phone numbers you need."),
        )),
        Heading(N_("On the day")),
        Bullets((
            N_("Go to your probation appointment on time. If you miss it, you could be sent "
               "back to prison."),
            N_("If you are late or lost, phone your probation officer straight away."),
            N_("If you have nowhere to sleep tonight, go to the council's housing team the "
               "same day."),
        )),
        Heading(N_("Important contacts")),
        Personal("CONTACTS"),
        Services("release"),
        Para(KEEP, strong=True),
    ),
)

IMMIGRATION = Sheet(
    "immigration-nrpf",
    N_("Immigration advice and no recourse to public funds"),
    (
        Para(N_("This sheet is for women who are not British citizens.")),
        Heading(N_("Your right to advice")),
        Para(N_("You have the right to free and independent immigration advice. Independent "
                "means the advisers do not work for the prison or the Home Office.")),
        Para(N_("Talking to an adviser will not make your case worse.")),
        Para(N_("You can ask for an interpreter. You can ask for letters to be explained in "
                "your language.")),
        Para(N_("If you get a letter from the Home Office, show it to staff or an adviser "
                "straight away. Some letters have short time limits."), strong=True),
        Heading(N_("What \u201cno recourse to public funds\u201d means")),
        Para(N_("Some visas say \u201cno recourse to public funds\u201d. People often call "
                "this NRPF.")),
        Para(N_("NRPF means you cannot get most benefits, such as Universal Credit. It also "
                "means you usually cannot get a council home.")),
        Para(N_("You can still get some help. You can still see a doctor. A council may still "
                "help you if you have children, or if you are very ill or at risk.")),
        Para(N_("If you do not know your immigration status, ask an adviser. Do not guess.")),
        Heading(N_("Housing after release")),
        Para(N_("Tell staff early if you have NRPF. Some housing is not open to you, so staff "
                "need time to find other help.")),
        Heading(N_("Who can help")),
        Services("immigration"),
    ),
)

ABUSE = Sheet(
    "experiencing-abuse",
    N_("If you are experiencing abuse"),
    (
        Para(N_("Abuse is never your fault. Abuse can be hitting, threats, control, sexual "
                "abuse or taking your money.")),
        Heading(N_("Your safety")),
        Para(N_("If you are in danger now, tell any member of staff."), strong=True),
        Para(N_("After release, in an emergency, phone 999.")),
        Para(N_("If you cannot speak on the phone, call 999 from a mobile, listen, and then "
                "press 55. The police will know you need help.")),
        Heading(N_("You do not have to go back")),
        Para(N_("You do not have to live near a person who hurt you.")),
        Para(N_("Staff can ask a different council to find you somewhere to live. A council "
                "cannot send you back to an area where you are at risk of abuse.")),
        Para(N_("A refuge is a safe house for women. Its address is kept secret.")),
        Heading(N_("Your children")),
        Para(N_("If you have children, staff can help you talk to children's social care.")),
        Heading(N_("Helplines and services")),
        Para(N_("Many helplines can find an interpreter for you.")),
        Services("abuse"),
    ),
)

MONEY = Sheet(
    "money-id-benefits",
    N_("Money, ID and benefits after release"),
    (
        Heading(N_("Your ID")),
        Para(N_("You need ID to open a bank account, claim benefits and rent a home.")),
        Para(N_("Tell staff what ID you have. Staff can help you apply for a birth "
                "certificate or other ID before you leave.")),
        Heading(N_("Your bank account")),
        Para(N_("Staff may be able to help you open a bank account before you leave.")),
        Heading(N_("Money on your release day")),
        Para(N_("You may get a discharge grant when you leave. This is a small amount of money "
                "to help you in your first days.")),
        Heading(N_("Benefits")),
        Para(N_("You may be able to claim Universal Credit. Staff can help you start your "
                "claim before you leave.")),
        Para(N_("The first payment can take about five weeks. You can ask the Jobcentre for "
                "an advance payment.")),
        Para(N_("Some people cannot claim benefits because of their immigration status. Ask "
                "for advice first.")),
        Heading(N_("Debts")),
        Para(N_("If you owe rent or other money, tell staff. Debts can grow if you ignore "
                "them.")),
        Heading(N_("Who can help")),
        Services("money"),
    ),
)

SHEETS: dict[str, Sheet] = {s.id: s for s in (HOUSING, RELEASE_DAY, IMMIGRATION, ABUSE, MONEY)}
