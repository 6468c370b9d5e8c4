"""`resettle …` end to end: exit codes 0/1/2, secrets only from stdin, plain one-line errors."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from app import cli
from app.domain import reference
from app.domain.timezone import today_london
from app.services import demo, vault
from tests.conftest import ADMIN, ADMIN_PASSPHRASE

REPO = Path(__file__).resolve().parents[2]
RECOVERY_KEY = re.compile(r"[A-Z2-7]{5}(?:-[A-Z2-7]{5}){7}")
DEMO_LOGIN = ["--user", demo.DEMO_USER, "--passphrase-stdin"]
IMPORT_HEADER = (
    "prison_number,family_name,given_names,date_of_birth,nationality,first_language,"
    "custody_status,reception_date,release_date,home_local_authority\n"
)


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run(monkeypatch, capsys, data_dir):
    """Run the real CLI in-process against this test's profile; `stdin` feeds secrets."""
    monkeypatch.delenv("RESETTLE_DATA_DIR", raising=False)
    monkeypatch.delenv("RESETTLE_DEBUG", raising=False)

    def _run(*argv: str, stdin: str = "") -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = cli.main([*argv, "--data-dir", str(data_dir)])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


@pytest.fixture
def demo_profile(run):
    result = run("demo", "--people", "30", "--seed", "7")
    assert result.code == 0, result.err
    assert "30 fictional women" in result.out
    return result


def people_json(run, *extra: str) -> list[dict]:
    result = run("people", *DEMO_LOGIN, "--format", "json", *extra, stdin=demo.DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    return json.loads(result.out)


def assert_one_plain_line(err: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("resettle: ")


# --- init ------------------------------------------------------------------------------------


def test_init_prints_the_recovery_key_exactly_once(run, data_dir):
    result = run(
        "init",
        "--establishment",
        "HMP & YOI Testfield",
        "--admin",
        ADMIN,
        "--passphrase-stdin",
        stdin=ADMIN_PASSPHRASE + "\n",
    )
    assert result.code == 0, result.err
    keys = RECOVERY_KEY.findall(result.out)
    assert len(keys) == 1
    assert "shown only once" in result.out
    assert keys[0] not in (data_dir / "keyslots.json").read_text()
    # The key printed is the one that works.
    vault.recover(data_dir, keys[0], ADMIN, "a recovered passphrase")
    vault.unlock(data_dir, ADMIN, "a recovered passphrase").lock()


def test_init_twice_exits_1_and_prints_no_second_key(run):
    args = ("init", "--establishment", "HMP X", "--admin", ADMIN, "--passphrase-stdin")
    assert run(*args, stdin=ADMIN_PASSPHRASE).code == 0
    again = run(*args, stdin=ADMIN_PASSPHRASE)
    assert again.code == 1
    assert RECOVERY_KEY.search(again.out + again.err) is None
    assert "already a Resettle database" in again.err
    assert_one_plain_line(again.err)


def test_init_with_a_weak_passphrase_exits_1(run, data_dir):
    result = run(
        "init", "--establishment", "HMP X", "--admin", ADMIN, "--passphrase-stdin", stdin="short"
    )
    assert result.code == 1
    assert "Too short" in result.err
    assert_one_plain_line(result.err)
    assert not vault.is_initialised(data_dir)


def test_init_with_no_passphrase_on_stdin_exits_1(run):
    result = run("init", "--establishment", "HMP X", "--admin", ADMIN, "--passphrase-stdin")
    assert result.code == 1
    assert "Expected a line on standard input" in result.err


def test_init_into_a_file_instead_of_a_folder_exits_1(monkeypatch, capsys, tmp_path):
    not_a_folder = tmp_path / "profile.txt"
    not_a_folder.write_text("already here")
    monkeypatch.setattr(sys, "stdin", io.StringIO(ADMIN_PASSPHRASE))
    code = cli.main(
        ["init", "--establishment", "HMP X", "--admin", ADMIN, "--passphrase-stdin",
         "--data-dir", str(not_a_folder)]
    )  # fmt: skip
    assert code == 1
    assert_one_plain_line(capsys.readouterr().err)


# --- demo and people -------------------------------------------------------------------------


def test_demo_then_people_as_json(demo_profile, run):
    rows = people_json(run)
    assert len(rows) == 30
    assert all(r["prison_number"].startswith("Z") for r in rows)
    assert len({r["prison_number"] for r in rows}) == 30
    assert set(rows[0]) >= {"prison_number", "family_name", "release_date", "custody_status"}
    names = [(r["family_name"], r["given_names"]) for r in rows]
    assert names == sorted(names)
    for r in rows:
        if r["home_local_authority"]:
            la = reference.local_authorities()[r["home_local_authority"]]
            assert r["home_local_authority_name"] == la.name


def test_the_same_seed_makes_the_same_demo(demo_profile, run, tmp_path, monkeypatch, capsys):
    first = people_json(run)
    monkeypatch.setattr(sys, "stdin", io.StringIO(demo.DEMO_PASSPHRASE))
    other = tmp_path / "other"
    assert cli.main(["demo", "--people", "30", "--seed", "7", "--data-dir", str(other)]) == 0
    capsys.readouterr()
    assert cli.main(["people", *DEMO_LOGIN, "--format", "json", "--data-dir", str(other)]) == 0
    second = json.loads(capsys.readouterr().out)
    strip = [{k: v for k, v in r.items() if k != "id"} for r in first]
    assert strip == [{k: v for k, v in r.items() if k != "id"} for r in second]


def test_release_within_30_days(demo_profile, run):
    everyone = people_json(run)
    soon = people_json(run, "--release-within", "30")
    today = today_london()
    last = today + timedelta(days=30)
    expected = {
        r["prison_number"]
        for r in everyone
        if r["release_date"] and today <= date.fromisoformat(r["release_date"]) <= last
    }
    assert {r["prison_number"] for r in soon} == expected
    assert expected, "seed 7 should give someone released within 30 days"
    assert len(soon) < len(everyone)
    dates = [r["release_date"] for r in soon]
    assert dates == sorted(dates)


def test_release_within_a_negative_number_exits_1(demo_profile, run):
    result = run("people", *DEMO_LOGIN, "--release-within", "-1", stdin=demo.DEMO_PASSPHRASE)
    assert result.code == 1
    assert "0 or more" in result.err


def test_people_as_a_table_and_as_csv(demo_profile, run):
    table = run("people", *DEMO_LOGIN, stdin=demo.DEMO_PASSPHRASE)
    assert table.code == 0
    assert table.out.splitlines()[0].split()[:3] == ["prison_number", "family_name", "given_names"]
    assert len(table.out.splitlines()) == 31
    as_csv = run("people", *DEMO_LOGIN, "--format", "csv", stdin=demo.DEMO_PASSPHRASE)
    assert as_csv.code == 0
    lines = as_csv.out.splitlines()
    assert lines[0].startswith("id,prison_number,family_name")
    assert len(lines) == 31


def test_a_wrong_passphrase_exits_1_with_one_line(demo_profile, run):
    result = run("people", *DEMO_LOGIN, stdin="not the passphrase\n")
    assert result.code == 1
    assert_one_plain_line(result.err)
    assert "username or passphrase is not right" in result.err
    assert result.out == ""


def test_unlocking_without_a_user_exits_1(demo_profile, run):
    result = run("people", "--passphrase-stdin", stdin=demo.DEMO_PASSPHRASE)
    assert result.code == 1
    assert "--user" in result.err


def test_an_uninitialised_folder_exits_1(run):
    result = run("people", "--user", ADMIN, "--passphrase-stdin", stdin=ADMIN_PASSPHRASE)
    assert result.code == 1
    assert "Set one up first" in result.err


# --- import-people ---------------------------------------------------------------------------


def test_import_people_with_a_bad_csv_exits_1_with_line_errors(demo_profile, run, tmp_path):
    csv_file = tmp_path / "caseload.csv"
    csv_file.write_text(
        IMPORT_HEADER
        + "Z7001AA,Clistatic,Fictiona,1990-01-01,GB,en,SENTENCED,2026-01-05,,\n"
        + "Z7002AB,Clistatic,Fictiona,not-a-date,GB,en,SENTENCED,2026-01-05,,\n"
        + "Z70X3AC,Clistatic,Fictiona,1990-01-01,GB,en,SENTENCED,2026-01-05,,\n",
        encoding="utf-8",
    )
    result = run("import-people", *DEMO_LOGIN, str(csv_file), stdin=demo.DEMO_PASSPHRASE)
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert lines[0].startswith("line 3 (Z7002AB): date_of_birth 'not-a-date' is not a date")
    assert any(line.startswith("line 4 (Z70X3AC): Prison number") for line in lines)
    assert lines[-1] == "resettle: Nothing was imported: 2 line(s) have problems."
    assert "Z7001AA" not in {r["prison_number"] for r in people_json(run)}
    assert len(people_json(run)) == 30


def test_import_people_with_a_good_csv_exits_0(demo_profile, run, tmp_path):
    csv_file = tmp_path / "caseload.csv"
    csv_file.write_text(
        IMPORT_HEADER
        + "Z7001AA,Clistatic,Fictiona,1990-01-01,GB,en,SENTENCED,2026-01-05,,\n"
        + "Z7002AB,Clistatic,Secunda,1991-01-01,GB,en,REMAND,2026-01-05,,\n",
        encoding="utf-8",
    )
    result = run("import-people", *DEMO_LOGIN, str(csv_file), stdin=demo.DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    assert result.out.strip() == "Imported 2 people."
    assert len(people_json(run)) == 32


def test_import_people_with_a_missing_file_exits_1(demo_profile, run, tmp_path):
    result = run(
        "import-people", *DEMO_LOGIN, str(tmp_path / "none.csv"), stdin=demo.DEMO_PASSPHRASE
    )
    assert result.code == 1
    assert_one_plain_line(result.err)


# --- audit, backup, restore ------------------------------------------------------------------


def test_audit_as_json(demo_profile, run):
    people_json(run)
    result = run("audit", *DEMO_LOGIN, "--format", "json", stdin=demo.DEMO_PASSPHRASE)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    actions = [r["action"] for r in rows]
    assert actions[0] == "unlock"  # newest first
    assert {"initialise", "demo_created", "people_listed", "unlock"} <= set(actions)
    assert all(set(r) == {"id", "at", "user", "action", "record_type", "record_id", "detail"}
               for r in rows)  # fmt: skip
    only = run(
        "audit", *DEMO_LOGIN, "--format", "json", "--action", "people_listed",
        stdin=demo.DEMO_PASSPHRASE,
    )  # fmt: skip
    assert {r["action"] for r in json.loads(only.out)} == {"people_listed"}


def test_backup_then_restore(demo_profile, run, tmp_path):
    backup_file = tmp_path / "backup.zip"
    made = run("backup", *DEMO_LOGIN, "--out", str(backup_file), stdin=demo.DEMO_PASSPHRASE)
    assert made.code == 0, made.err
    assert "Backup written and checked" in made.out
    assert backup_file.is_file()
    before = people_json(run)

    csv_file = tmp_path / "more.csv"
    csv_file.write_text(
        IMPORT_HEADER + "Z7001AA,Clistatic,Fictiona,1990-01-01,GB,en,SENTENCED,2026-01-05,,\n"
    )
    assert run("import-people", *DEMO_LOGIN, str(csv_file), stdin=demo.DEMO_PASSPHRASE).code == 0
    assert len(people_json(run)) == 31

    restored = run("restore", str(backup_file), *DEMO_LOGIN, stdin=demo.DEMO_PASSPHRASE)
    assert restored.code == 0, restored.err
    assert "Backup restored and checked." in restored.out
    assert "kept in" in restored.out
    assert people_json(run) == before


def test_restore_with_a_wrong_passphrase_exits_1(demo_profile, run, tmp_path):
    backup_file = tmp_path / "backup.zip"
    run("backup", *DEMO_LOGIN, "--out", str(backup_file), stdin=demo.DEMO_PASSPHRASE)
    result = run("restore", str(backup_file), *DEMO_LOGIN, stdin="wrong passphrase here")
    assert result.code == 1
    assert_one_plain_line(result.err)
    assert len(people_json(run)) == 30


def test_restore_without_a_user_exits_1(demo_profile, run, tmp_path):
    result = run("restore", str(tmp_path / "b.zip"), "--passphrase-stdin", stdin="x")
    assert result.code == 1
    assert "--user" in result.err


# --- unexpected faults -----------------------------------------------------------------------


@pytest.fixture
def broken_install(monkeypatch, tmp_path):
    """The bundled council list has gone missing: a fault the user did not cause."""
    monkeypatch.setenv("RESETTLE_RESOURCES", str(tmp_path / "no-resources"))
    reference.local_authorities.cache_clear()
    yield
    reference.local_authorities.cache_clear()


def test_an_unexpected_fault_exits_3_with_one_line_and_no_personal_data(
    demo_profile, run, broken_install
):
    result = run("people", *DEMO_LOGIN, stdin=demo.DEMO_PASSPHRASE)
    assert result.code == 3
    assert_one_plain_line(result.err)
    assert "unexpected error (FileNotFoundError)" in result.err
    assert "RESETTLE_DEBUG=1" in result.err
    assert result.out == ""


def test_resettle_debug_shows_the_fault(demo_profile, run, broken_install, monkeypatch):
    monkeypatch.setenv("RESETTLE_DEBUG", "1")
    with pytest.raises(FileNotFoundError):
        run("people", *DEMO_LOGIN, stdin=demo.DEMO_PASSPHRASE)


# --- usage errors and passphrases on the command line ----------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nonsense"],
        ["people", "--format", "xml"],
        ["people", "--release-within", "soon"],
        ["demo"],
        ["init", "--admin", ADMIN],
        ["import-people"],
    ],
    ids=["no-command", "unknown", "bad-format", "bad-days", "no-people", "no-est", "no-csv"],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert "usage:" in capsys.readouterr().err


SUBCOMMANDS_WITH_POSITIONALS = {
    "init": ["--establishment", "HMP X", "--admin", ADMIN],
    "demo": ["--people", "1"],
    "recover": ["--user", ADMIN],
    "import-people": ["caseload.csv", "--user", ADMIN],
    "people": ["--user", ADMIN],
    "backup": ["--out", "backup.zip", "--user", ADMIN],
    "restore": ["backup.zip", "--user", ADMIN],
    "audit": ["--user", ADMIN],
    "gui": ["--user", ADMIN],
}


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS_WITH_POSITIONALS))
@pytest.mark.parametrize("form", ["separate", "equals"])
def test_a_passphrase_is_never_accepted_from_argv(command, form, capsys):
    secret = "hunter2hunter2"
    extra = ["--passphrase", secret] if form == "separate" else [f"--passphrase={secret}"]
    with pytest.raises(SystemExit) as exited:
        cli.main([command, *SUBCOMMANDS_WITH_POSITIONALS[command], *extra])
    assert exited.value.code == 2


def test_no_option_takes_a_passphrase_value():
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.choices and "people" in a.choices)
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            for option in action.option_strings:
                if "pass" in option or "secret" in option or "key" in option:
                    assert option == "--passphrase-stdin", (name, option)
                    assert action.nargs == 0, (name, option)


# --- the installed entry point, as a separate process ----------------------------------------


def run_process(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
    )


def test_a_separate_process_reports_a_bad_csv_without_a_traceback(data_dir, tmp_path):
    demo.make_demo(data_dir, 3, seed=1)  # made in-process with the fast test KDF
    csv_file = tmp_path / "caseload.csv"
    csv_file.write_text(
        IMPORT_HEADER + "Z7002AB,Clistatic,Fictiona,31/12/1990,GB,en,SENTENCED,2026-01-05,,\n"
    )
    done = run_process(
        "import-people", str(csv_file), "--data-dir", str(data_dir), *DEMO_LOGIN,
        stdin=demo.DEMO_PASSPHRASE + "\n",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "line 2 (Z7002AB): date_of_birth '31/12/1990' is not a date" in done.stderr
    assert done.stdout == ""


def test_a_separate_process_refuses_a_passphrase_in_argv():
    done = run_process("people", "--user", ADMIN, "--passphrase", "hunter2hunter2")
    assert done.returncode == 2
    assert "usage:" in done.stderr
