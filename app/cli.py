"""`resettle …`: everything scriptable, without a screen.

Passphrases never come from argv (they would sit in shell history and the process list): they
come from `--passphrase-stdin` or an interactive prompt. Exit codes: 0 ok, 1 a problem the user
can fix (one plain line on stderr), 2 usage, 3 an unexpected fault (no traceback unless
RESETTLE_DEBUG=1).
"""

from __future__ import annotations

import argparse
import getpass
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from app.domain.audit_actions import Action
from app.errors import UserError
from app.paths import resolve_data_dir


class _Input:
    """Secrets from stdin (one per line) or, failing that, from a no-echo prompt."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin
        self._lines: list[str] | None = None

    def secret(self, prompt: str, confirm: bool = False) -> str:
        if self.from_stdin:
            if self._lines is None:
                self._lines = sys.stdin.read().splitlines()
            if not self._lines:
                raise UserError(f"Expected a line on standard input for: {prompt.rstrip(': ')}")
            return self._lines.pop(0)
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again: ") != value:
            raise UserError("The two entries were not the same.")
        return value


def _unlock(args: argparse.Namespace):  # noqa: ANN202
    from app.services import vault

    if not args.user:
        raise UserError("Give --user USER to unlock.")
    secret = _Input(args.passphrase_stdin).secret(f"Passphrase for {args.user}: ")
    return vault.unlock(resolve_data_dir(args.data_dir), args.user, secret)


def cmd_init(args: argparse.Namespace) -> int:
    from app.services import vault

    secret = _Input(args.passphrase_stdin).secret(
        f"New passphrase for {args.admin}: ", confirm=True
    )
    data_dir = resolve_data_dir(args.data_dir)
    key = vault.initialise(data_dir, args.establishment, args.admin, secret)
    from app.services import bundles

    ws = vault.unlock(data_dir, args.admin, secret)
    try:
        made = bundles.ensure_identity(ws)  # the team's signing certificate, made at set-up
    finally:
        ws.lock()
    print("Resettle is set up. This is the RECOVERY KEY. It is shown only once.")
    print("Print it or write it down, and keep it locked away: it is the only way back")
    print("if every passphrase is forgotten.\n")
    print(f"    {key}\n")
    print(f"Signing certificate made; SHA-256 fingerprint {made.fingerprint}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services import demo

    if args.people < 0 or args.people > 100_000:
        raise UserError("--people must be between 0 and 100000.")
    count = demo.make_demo(resolve_data_dir(args.data_dir), args.people, args.seed)
    print(
        f"Demo database made with {count} fictional women. "
        f"User '{demo.DEMO_USER}', passphrase '{demo.DEMO_PASSPHRASE}'."
    )
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from app.services import vault

    reader = _Input(args.passphrase_stdin)
    key = reader.secret("Recovery key: ")
    new = reader.secret(f"New passphrase for {args.user}: ", confirm=True)
    vault.recover(resolve_data_dir(args.data_dir), key, args.user, new)
    print(f"{args.user} can now unlock with the new passphrase.")
    return 0


def cmd_import_people(args: argparse.Namespace) -> int:
    from app.services import import_people

    ws = _unlock(args)
    try:
        plan = import_people.preview(ws, import_people.read_text(Path(args.csv)))
        if plan.problems:
            for p in plan.problems:
                who = f" ({p.prison_number})" if p.prison_number else ""
                print(f"line {p.line}{who}: {p.message}", file=sys.stderr)
            bad = len({p.line for p in plan.problems})
            raise UserError(f"Nothing was imported: {bad} line(s) have problems.")
        count = import_people.commit(ws, plan)
    finally:
        ws.lock()
    print(f"Imported {count} people.")
    return 0


def _person_dict(row) -> dict[str, object]:  # noqa: ANN001
    from app.domain import reference

    la = reference.local_authorities().get(row.home_local_authority)
    return {
        "id": row.id,
        "prison_number": row.prison_number,
        "family_name": row.family_name,
        "given_names": row.given_names,
        "date_of_birth": row.date_of_birth.isoformat(),
        "nationality": row.nationality,
        "custody_status": row.custody_status,
        "release_date": row.release_date.isoformat() if row.release_date else None,
        "release_time": row.release_time.strftime("%H:%M") if row.release_time else None,
        "home_local_authority": row.home_local_authority or None,
        "home_local_authority_name": la.name if la else None,
        "release_risks": list(row.risks),
    }


def _print_table(rows: list[dict[str, object]], columns: Sequence[str]) -> None:
    cells = [[("" if r[c] is None else str(r[c])) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def cmd_people(args: argparse.Namespace) -> int:
    from app.domain.timezone import today_london
    from app.services import people

    ws = _unlock(args)
    try:
        rows = people.caseload(ws, audit_action=Action.PEOPLE_LISTED)
    finally:
        ws.lock()
    if args.release_within is not None:
        if args.release_within < 0:
            raise UserError("--release-within takes a number of days, 0 or more.")
        today = today_london()
        last = today + timedelta(days=args.release_within)
        rows = [r for r in rows if r.release_date and today <= r.release_date <= last]
        rows.sort(key=lambda r: (r.release_date, r.family_name))
    data = [_person_dict(r) for r in rows]
    if args.format == "json":
        print(json.dumps(data, indent=1, ensure_ascii=False))
    elif args.format == "csv":
        from app.domain import csv_safe

        out = io.StringIO()
        writer = csv_safe.DictWriter(out, fieldnames=list(data[0]) if data else ["prison_number"])
        writer.writeheader()
        writer.writerows(data)
        sys.stdout.write(out.getvalue())
    else:
        _print_table(
            data,
            (
                "prison_number",
                "family_name",
                "given_names",
                "custody_status",
                "release_date",
                "home_local_authority_name",
            ),
        )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from app.services import backup

    ws = _unlock(args)
    try:
        separators = tuple(filter(None, (os.sep, os.altsep)))  # `--out newdir/`: make a folder
        info = backup.create_backup(ws, Path(args.out), into_folder=args.out.endswith(separators))
    finally:
        ws.lock()
    print(f"Backup written and checked: {info.path} ({info.size_bytes:,} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.services import backup

    if not args.user:
        raise UserError("Give --user USER (a user in the backup) to restore.")
    secret = _Input(args.passphrase_stdin).secret(f"Passphrase for {args.user} in the backup: ")
    kept = backup.restore_backup(
        resolve_data_dir(args.data_dir), Path(args.file), args.user, secret
    )
    print("Backup restored and checked.")
    if kept:
        print(f"The data it replaced is kept in {kept}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from app.services import audit

    if not 0 < args.limit <= 1_000_000:
        raise UserError("--limit takes a number of entries from 1 to 1000000.")
    ws = _unlock(args)
    try:
        rows = audit.entries(ws, action=args.action, username=args.by, limit=args.limit)
    finally:
        ws.lock()
    data = [
        {
            "id": r.id,
            "at": r.at.isoformat(),
            "user": r.username,
            "action": r.action,
            "record_type": r.record_type,
            "record_id": r.record_id,
            "detail": r.detail,
        }
        for r in rows
    ]
    if args.format == "json":
        print(json.dumps(data, indent=1))
    else:
        _print_table(data, ("at", "user", "action", "record_type", "record_id", "detail"))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    from datetime import date, time

    from app.domain.timezone import london_to_utc, now_utc, to_london
    from app.services import deadlines

    on = now_utc()
    if args.on:
        try:
            # A day means "as that day starts": what is already overdue, and what falls due.
            on = london_to_utc(date.fromisoformat(args.on), time(0, 0))
        except ValueError:
            raise UserError(f"--on takes a date like 2026-11-30, not {args.on!r}.") from None
    ws = _unlock(args)  # unlocking opens any plan due at 12 weeks, so PLAN rows are current
    try:
        rows = deadlines.due_list(ws, on)
    finally:
        ws.lock()
    data = [row.as_json() for row in rows]
    if args.format == "json":
        print(json.dumps(data, indent=1))
    else:
        shown = [dict(item, due=to_london(row.due).strftime("%Y-%m-%d %H:%M"))
                 for item, row in zip(data, rows, strict=True)]
        _print_table(shown, ("prison_number", "kind", "due", "status"))
    return 0


def cmd_screening_export(args: argparse.Namespace) -> int:
    from app.services import people, screening

    ws = _unlock(args)
    try:
        person_id = people.find_id(ws, args.person)
        if person_id is None:
            raise UserError(f"There is no {args.person.strip().upper()} on the caseload.")
        data = screening.export(ws, person_id)
    finally:
        ws.lock()
    print(json.dumps(data, indent=1, ensure_ascii=False))
    return 0


def _iso_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} takes a date like 2026-11-30, not {value!r}.") from None


def cmd_report_outcomes(args: argparse.Namespace) -> int:
    from app.services import release_day

    start, end = _iso_day(args.from_date, "--from"), _iso_day(args.to_date, "--to")
    if start > end:
        raise UserError("--from must not be after --to.")
    ws = _unlock(args)
    try:
        if args.format == "pdf":
            count = release_day.write_outcomes_pdf(ws, start, end, Path(args.out))
            what = f"{count} releases"
        else:
            count = release_day.write_outcomes_csv(ws, start, end, Path(args.out))
            what = f"{count} rows, numbers under 5 shown as <5"
    finally:
        ws.lock()
    print(f"Accommodation outcomes for {start:%d/%m/%Y} to {end:%d/%m/%Y} ({what}), "
          f"written to {args.out}")
    return 0


def cmd_edic(args: argparse.Namespace) -> int:
    from app.domain import planning
    from app.services import meetings

    try:
        start, end = planning.iso_week(args.week)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    ws = _unlock(args)
    try:
        count = meetings.write_edic(ws, start, end, Path(args.out))
    finally:
        ws.lock()
    print(f"EDIC list for {start:%d/%m/%Y} to {end:%d/%m/%Y}: {count} women, written to {args.out}")
    return 0


def cmd_mappa(args: argparse.Namespace) -> int:
    from datetime import date

    from app.domain import planning
    from app.services import meetings

    try:
        start = date.fromisoformat(args.from_date)
    except ValueError:
        raise UserError(f"--from takes a date like 2026-12-01, not {args.from_date!r}.") from None
    start, end = planning.mappa_window(start)
    ws = _unlock(args)
    try:
        count = meetings.write_mappa(ws, start, end, Path(args.out))
    finally:
        ws.lock()
    print(f"MAPPA list for {start:%d/%m/%Y} to {end:%d/%m/%Y}: {count} women, "
          f"written to {args.out}")
    return 0


def cmd_referrals(args: argparse.Namespace) -> int:
    from app.services import referrals

    ws = _unlock(args)
    try:
        rows = referrals.register(ws, args.person)
    finally:
        ws.lock()
    data = [
        {"id": r.id, "prison_number": r.prison_number, "type": r.draft.type,
         "status": r.draft.status,
         "submitted_on": r.draft.submitted_on.isoformat() if r.draft.submitted_on else None,
         "outcome": r.draft.outcome or None,
         "outcome_on": r.draft.outcome_on.isoformat() if r.draft.outcome_on else None,
         "expires_on": r.expires_on.isoformat() if r.expires_on else None,
         "council_code": r.draft.council_code or None,
         "consent_recorded": r.consent_recorded,
         "consent_exception": bool(r.consent_exception)}
        for r in rows
    ]
    if args.format == "json":
        print(json.dumps(data, indent=1))
    else:
        _print_table(data, ("id", "prison_number", "type", "status", "submitted_on", "outcome",
                            "expires_on", "consent_recorded"))
    return 0


def cmd_sheets_list(args: argparse.Namespace) -> int:
    from app.services import sheets

    data = sheets.catalogue_summary()
    if args.format == "json":
        print(json.dumps({"sheets": data}, indent=1, ensure_ascii=False))
        return 0
    print("Sheets: " + ", ".join(f"{s['id']} ({s['title']})" for s in data))
    rows = [{"code": lang["code"], "language": lang["name"], "direction": lang["direction"],
             "review_status": lang["review_status"]
             + (f" by {lang['reviewed_by']} on {lang['reviewed_on']}"
                if lang["reviewed_by"] else "")} for lang in data[0]["languages"]]  # fmt: skip
    _print_table(rows, ("code", "language", "direction", "review_status"))
    return 0


def cmd_sheet(args: argparse.Namespace) -> int:
    from app.services import people, sheets

    out = Path(args.out)
    if args.sample == bool(args.person):
        raise UserError("Give either --person PRISON_NUMBER or --sample.")
    if args.sample:
        if not args.lang:
            raise UserError("Give --lang LANG with --sample (see `resettle sheets list`).")
        data = sheets.sample_pdf(args.sheet, args.lang, args.bilingual)
        from app.store.atomic import write_atomic

        write_atomic(out, data)
        print(f"Sample sheet written to {out} (made-up details).")
        return 0
    ws = _unlock(args)
    try:
        person_id = people.find_id(ws, args.person)
        if person_id is None:
            raise UserError(f"There is no {args.person.strip().upper()} on the caseload.")
        language = args.lang or sheets.her_language(ws, person_id).code
        sheets.save_pdf(ws, person_id, args.sheet, language, args.bilingual, out)
    finally:
        ws.lock()
    print(f"Sheet written to {out}; recorded in her history.")
    return 0


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        raise UserError(f"The {what} file {path} cannot be read.") from None


def cmd_export_bundle(args: argparse.Namespace) -> int:
    from app.services import bundles

    cert = _read(args.encrypt_to, "certificate") if args.encrypt_to else None
    ws = _unlock(args)
    try:
        made = bundles.export_referral(ws, args.referral, Path(args.out), encrypt_to=cert,
                                       recipient=args.recipient or "")  # fmt: skip
    finally:
        ws.lock()
    print(f"Bundle written and read back: {made.path}")
    print(f"bundle id {made.bundle_id}, SHA-256 {made.sha256}, {made.size} bytes")
    for old in made.superseded:
        print(f"Supersedes bundle {old}")
    return 0


def cmd_bundles(args: argparse.Namespace) -> int:
    from app.services import bundles

    ws = _unlock(args)
    try:
        if args.mark:
            bundle_id, state = args.mark
            bundles.mark(ws, bundle_id, state, args.note or "")
            print(f"Bundle {bundle_id} marked {state.lower()}.")
            return 0
        rows = bundles.outbox(ws)
    finally:
        ws.lock()
    data = [{"bundle_id": r.bundle_id, "bundle_type": r.bundle_type,
             "referral_id": r.referral_id, "prison_number": r.prison_number,
             "referral_type": r.referral_type, "file_name": r.file_name,
             "location": r.location, "recipient": r.recipient,
             "encrypted_to": r.encrypted_to or None, "state": r.state,
             "superseded_by": r.superseded_by, "created_at": r.created_at.isoformat(),
             "created_by": r.created_by, "sha256": r.sha256, "size": r.size,
             "history": [{"at": at.isoformat(), "by": who, "state": state, "note": note}
                         for at, who, state, note in r.events]} for r in rows]  # fmt: skip
    if args.format == "json":
        print(json.dumps(data, indent=1, ensure_ascii=False))
    else:
        for row in data:
            row["short_id"] = str(row["bundle_id"])[:8]
            row["created"] = str(row["created_at"])[:16].replace("T", " ")
        _print_table(data, ("short_id", "prison_number", "referral_type", "state", "created",
                            "file_name", "location"))  # fmt: skip
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from app.bundles.bundle_format import BundleError
    from app.services import bundles

    trust = _read(args.trust, "certificate") if args.trust else None
    try:
        verified = bundles.verify_file(Path(args.file), trust)
    except BundleError as exc:
        if args.format == "json":
            print(json.dumps({"ok": False, "code": exc.code, "problem": str(exc)}))
        print(f"resettle: NOT VERIFIED ({exc.code}): {exc}", file=sys.stderr)
        return 1
    summary = bundles.bundle_summary(verified)
    if args.format == "json":
        print(json.dumps(summary, indent=1, ensure_ascii=False))
        return 0
    who = summary["created_by"] if isinstance(summary["created_by"], dict) else {}
    print(f"VERIFIED: {Path(args.file).name}")
    print(f"  signed by    {summary['signer']}")
    print(f"  fingerprint  {summary['signer_fingerprint_sha256']} (SHA-256)")
    print(f"  made         {summary['created_at']} by {who.get('name')} ({who.get('role')}), "
          f"{summary['establishment']}")
    print(f"  for          {summary['recipient']}")
    print(f"  contents     {', '.join(str(m) for m in summary['members'])}")  # type: ignore[union-attr]
    if trust is None:
        print("  note         no --trust certificate given: check the fingerprint above against "
              "the one the sending team gave you.")  # fmt: skip
    return 0


def cmd_export_transfer(args: argparse.Namespace) -> int:
    from app.services import people, transfer_bundles

    cert = _read(args.encrypt_to, "certificate") if args.encrypt_to else None
    ws = _unlock(args)
    try:
        person_id = people.find_id(ws, args.person)
        if person_id is None:
            raise UserError(f"There is no {args.person.strip().upper()} on the caseload.")
        made = transfer_bundles.export_transfer(
            ws, person_id, Path(args.out), encrypt_to=cert,
            recipient=getattr(args, "recipient", None) or "")  # fmt: skip
    finally:
        ws.lock()
    print(f"Transfer bundle written and read back: {made.path}")
    print(f"bundle id {made.bundle_id}, SHA-256 {made.sha256}, {made.size} bytes")
    return 0


def cmd_import_transfer(args: argparse.Namespace) -> int:
    from app.domain.timezone import to_london
    from app.services import transfer_bundles

    trust = _read(args.trust, "certificate") if args.trust else None
    path = Path(args.file)
    ws = _unlock(args)
    try:
        p = transfer_bundles.preview_transfer(ws, path, trust)
        born = f"{p.date_of_birth:%d/%m/%Y}" if p.date_of_birth else "unknown"
        made = f"{to_london(p.created_at):%d/%m/%Y %H:%M}" if p.created_at else "unknown"
        changed = (f", last changed here {to_london(p.local_updated_at):%d/%m/%Y %H:%M}"
                   if p.local_updated_at else "")  # fmt: skip
        here = {"NEW": "not on the caseload here: she will be added",
                "EXISTS_OLDER": f"already on the caseload here{changed}, before the bundle was "
                                "made: importing replaces her record here (only with --replace)",
                "EXISTS_NEWER": f"already on the caseload here{changed}, after the bundle was "
                                "made: it will not be imported"}[p.local]  # fmt: skip
        print(f"VERIFIED transfer bundle: {path.name}")
        print(f"  woman        {p.name}, {p.prison_number}, born {born}")
        print(f"  from         {p.establishment}, made {made}")
        print(f"  signed by    {p.sender}")
        print(f"  fingerprint  {p.fingerprint} (SHA-256)")
        print("  contents     " + ", ".join(f"{table} {n}" for table, n in p.counts.items()
                                            if n))  # fmt: skip
        print(f"  history      {p.history_entries} entries from the sending prison (kept in "
              "the bundle, not imported)")  # fmt: skip
        print(f"  here         {here}")
        print(f"  sender       {('trusted: ' + p.trusted_as) if p.trusted_as else 'NOT TRUSTED'}")
        if p.problems:
            raise UserError(f"Not imported: {p.problems[0]}")
        confirmed = args.fingerprint
        if not p.trusted_as and not confirmed:
            confirmed = _confirm_fingerprint(args, p.fingerprint)
        person_id = transfer_bundles.import_transfer(ws, path, replace=args.replace,
                                                     trust_pem=trust,
                                                     confirmed_fingerprint=confirmed)  # fmt: skip
    finally:
        ws.lock()
    print(f"Imported: {p.prison_number} is on the caseload (record {person_id}).")
    return 0


def _confirm_fingerprint(args: argparse.Namespace, fingerprint: str) -> str | None:
    """Ask at the terminal, before anything is written, whether the fingerprint is the one
    the sending prison gave; None (so the import is refused) without a terminal."""
    if args.passphrase_stdin or not sys.stdin.isatty():
        return None
    print("This bundle is not signed by a sender this team trusts. Check the fingerprint "
          "above with the sending prison (by phone, not from the bundle's own papers).")
    answer = input("Is it exactly the one they gave you? Type yes to import: ")
    return fingerprint if answer.strip().lower() == "yes" else None


def cmd_trust(args: argparse.Namespace) -> int:
    from app.services import transfer_bundles

    cert = _read(args.cert, "certificate") if args.trust_command == "add" else None
    ws = _unlock(args)
    try:
        if args.trust_command == "add":
            assert cert is not None
            added = transfer_bundles.add_trusted_sender(ws, cert, args.name)
            print(f"Trusted: {added.name}, SHA-256 fingerprint {added.fingerprint}")
            return 0
        if args.trust_command == "remove":
            transfer_bundles.remove_trusted_sender(ws, args.fingerprint)
            print(f"No longer trusted: {args.fingerprint}")
            return 0
        rows = transfer_bundles.trusted_senders(ws)
    finally:
        ws.lock()
    _print_table([{"name": r.name, "fingerprint": r.fingerprint, "added": r.added_at[:10],
                   "by": r.added_by} for r in rows], ("name", "fingerprint", "added", "by"))
    return 0


def cmd_signing_cert(args: argparse.Namespace) -> int:
    from app.services import bundles

    ws = _unlock(args)
    try:
        fingerprint = bundles.export_certificate(ws, Path(args.out))
    finally:
        ws.lock()
    print(f"Certificate written to {args.out}")
    print(f"SHA-256 fingerprint: {fingerprint}")
    return 0


def cmd_self_test(args: argparse.Namespace) -> int:
    from app.selftest import run

    return run()


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.app import run

    return run(resolve_data_dir(args.data_dir), args.user)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resettle", description=__doc__.splitlines()[0], allow_abbrev=False
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler, help_text: str, unlocks: bool = True) -> argparse.ArgumentParser:  # noqa: ANN001
        p = sub.add_parser(name, help=help_text, description=help_text, allow_abbrev=False)
        p.add_argument("--data-dir", help="profile folder (default: RESETTLE_DATA_DIR or per-user)")
        if unlocks:
            p.add_argument("--user", help="username to unlock as")
            p.add_argument(
                "--passphrase-stdin",
                action="store_true",
                help="read the passphrase from standard input instead of a prompt",
            )
        p.set_defaults(handler=handler)
        return p

    p = add("init", cmd_init, "set up a new encrypted database and its first administrator", False)
    p.add_argument("--establishment", required=True, help='e.g. "HMP & YOI Bronzefield"')
    p.add_argument("--admin", required=True, help="username of the first administrator")
    p.add_argument("--passphrase-stdin", action="store_true")
    p = add("demo", cmd_demo, "make a new demo database of fictional women", False)
    p.add_argument("--people", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p = add("recover", cmd_recover, "set a new passphrase for a user with the recovery key")
    p = add("import-people", cmd_import_people, "import a caseload CSV (all or nothing)")
    p.add_argument("csv")
    p = add("people", cmd_people, "list the caseload")
    p.add_argument("--release-within", type=int, metavar="DAYS")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p = add("backup", cmd_backup, "write an encrypted, checked backup")
    p.add_argument("--out", required=True, help="a new backup file, or a folder to put it in "
                   "(ending in / makes the folder); an existing file is never replaced")
    p = add("restore", cmd_restore, "replace this profile's data with a backup")
    p.add_argument("file")
    p = add("audit", cmd_audit, "show the audit log (administrators)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--action")
    p.add_argument("--by", metavar="USER")
    p.add_argument("--limit", type=int, default=1000)
    p = add("due", cmd_due, "list deadlines: BCST1, BCST2, PLAN, DUTY_TO_REFER, CRS, TASK, "
            "RELEASE_CHECKLIST, FOLLOW_UP_12_WEEKS")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="as the day starts (default: now)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    screening_parser = sub.add_parser("screening", help="induction screenings")
    screening_sub = screening_parser.add_subparsers(dest="screening_command", required=True)
    p = screening_sub.add_parser("export", help="a woman's completed screenings as JSON",
                                 allow_abbrev=False)
    p.add_argument("--data-dir")
    p.add_argument("--user")
    p.add_argument("--passphrase-stdin", action="store_true")
    p.add_argument("--person", required=True, metavar="PRISON_NUMBER")
    p.add_argument("--format", choices=("json",), default="json")
    p.set_defaults(handler=cmd_screening_export)
    report_parser = sub.add_parser("report", help="monitoring reports")
    report_sub = report_parser.add_subparsers(dest="report_command", required=True)
    p = report_sub.add_parser(
        "outcomes", allow_abbrev=False,
        help="accommodation at release and at 12 weeks, by month and quarter (CSV or PDF)")
    p.add_argument("--data-dir")
    p.add_argument("--user")
    p.add_argument("--passphrase-stdin", action="store_true")
    p.add_argument("--from", dest="from_date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="to_date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--format", choices=("csv", "pdf"), default="csv")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(handler=cmd_report_outcomes)
    p = add("edic", cmd_edic, "print the weekly EDIC list (releases in one ISO week) as PDF")
    p.add_argument("--week", required=True, metavar="YYYY-Www", help="e.g. 2026-W49")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p = add("mappa", cmd_mappa, "print the MAPPA cases due out in the coming quarter as PDF")
    p.add_argument("--from", dest="from_date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p = add("referrals", cmd_referrals, "list referrals: type, status, dates, consent")
    p.add_argument("--person", metavar="PRISON_NUMBER")
    p.add_argument("--format", choices=("table", "json"), default="table")
    sheets_parser = sub.add_parser("sheets", help="information sheets for women")
    sheets_sub = sheets_parser.add_subparsers(dest="sheets_command", required=True)
    p = sheets_sub.add_parser("list", allow_abbrev=False,
                              help="sheet ids, languages and each translation's review status")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=cmd_sheets_list)
    p = add("sheet", cmd_sheet, "print an information sheet for a woman (or a sample) as PDF")
    p.add_argument("--person", metavar="PRISON_NUMBER")
    p.add_argument("--sample", action="store_true",
                   help="made-up personal details; no database needed")
    p.add_argument("--sheet", required=True, action="append", metavar="SHEET_ID",
                   help="a sheet id from `resettle sheets list` (repeat for several)")
    p.add_argument("--lang", metavar="LANG",
                   help="language code (default with --person: her first language)")
    p.add_argument("--bilingual", action="store_true", help="English below each part")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p = add("export-bundle", cmd_export_bundle,
            "export a referral as a signed bundle (.rsb) into a folder or drive")
    p.add_argument("--referral", required=True, type=int, metavar="ID",
                   help="the referral's id (`resettle referrals --format json`)")
    p.add_argument("--encrypt-to", metavar="CERT", help="recipient certificate (PEM or DER): "
                   "the bundle is encrypted for that recipient only (.rsb.p7m)")
    p.add_argument("--recipient", help="who it is for (default: from the referral)")
    p.add_argument("--out", required=True, metavar="DIR")
    p = add("bundles", cmd_bundles, "the outbox: every bundle made, where it went, its state")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--mark", nargs=2, metavar=("BUNDLE_ID", "STATE"),
                   help="record that a bundle was uploaded, acknowledged or withdrawn")
    p.add_argument("--note", help="with --mark: where, by whom, or why withdrawn")
    p = add("verify", cmd_verify, "check a bundle: signature, every hash, schema, members",
            unlocks=False)
    p.add_argument("file")
    p.add_argument("--trust", metavar="CERT.pem",
                   help="accept only bundles signed by this certificate (or one it issued)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = add("import-transfer", cmd_import_transfer,
            "receive a transfer bundle: verify, preview, import (matched by prison number)")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true",
                   help="replace her record here when the bundle is newer than it")
    p.add_argument("--trust", metavar="CERT.pem",
                   help="accept only bundles signed by this certificate (or one it issued)")
    p.add_argument("--fingerprint", metavar="SHA256",
                   help="import only if the signer's certificate has this fingerprint (as the "
                   "sending prison gave it to you)")
    trust_parser = sub.add_parser("trust", help="prisons whose transfer bundles are trusted")
    trust_sub = trust_parser.add_subparsers(dest="trust_command", required=True)
    for name, text in (("add", "trust transfer bundles signed with a prison's certificate"),
                       ("list", "list the trusted prisons and their fingerprints"),
                       ("remove", "stop trusting a prison's certificate")):
        p = trust_sub.add_parser(name, help=text, description=text, allow_abbrev=False)
        p.add_argument("--data-dir")
        p.add_argument("--user")
        p.add_argument("--passphrase-stdin", action="store_true")
        p.set_defaults(handler=cmd_trust)
        if name == "add":
            p.add_argument("--cert", required=True, metavar="CERT.pem",
                           help="the prison's certificate (`resettle signing-cert` there)")
            p.add_argument("--name", required=True, help='e.g. "HMP Example"')
        if name == "remove":
            p.add_argument("--fingerprint", required=True, metavar="SHA256")
    p = add("export-transfer", cmd_export_transfer,
            "send a woman's whole record to another prison as a signed bundle")
    p.add_argument("--person", required=True, metavar="PRISON_NUMBER")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--encrypt-to", metavar="CERT")
    p.add_argument("--recipient", help="the receiving prison")
    p = add("signing-cert", cmd_signing_cert,
            "write the team's signing certificate (PEM) for recipients; prints its fingerprint")
    p.add_argument("--out", required=True, metavar="FILE.pem")
    p = sub.add_parser("self-test", allow_abbrev=False,
                       help="check this copy works here: database, screening, sheets, bundles")
    p.set_defaults(handler=cmd_self_test)
    p = add("gui", cmd_gui, "open the window")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except UserError as exc:
        print(f"resettle: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `resettle people | head`: the reader has gone; that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("resettle: interrupted; nothing was saved half-way.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - last resort: one line, no personal data
        if os.environ.get("RESETTLE_DEBUG") == "1":
            raise
        print(
            f"resettle: unexpected error ({type(exc).__name__}). Nothing was saved half-way. "
            "Set RESETTLE_DEBUG=1 to see details.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
