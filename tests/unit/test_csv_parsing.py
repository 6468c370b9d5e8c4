"""Reading the caseload spreadsheet: drafts for good lines, line-numbered reasons for bad ones."""

from datetime import UTC, date, datetime

from app.domain.csv_people import parse

NOW = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
HEADER = (
    "prison_number,family_name,given_names,date_of_birth,nationality,first_language,"
    "custody_status,reception_date,release_date,home_local_authority"
)
GOOD_1 = (
    "Z1001AA,Testperson,Fictiona,1990-05-17,GB,en,SENTENCED,2026-01-10 15:30,2027-02-03,E09000033"
)
GOOD_2 = "Z1002AB,Examplewoman,Ada,1985-12-01,PL,pl,REMAND,2026-04-02,,"


def csv_text(*lines):
    return "\n".join((HEADER, *lines)) + "\n"


def reasons_by_line(parsed):
    found = {}
    for problem in parsed.problems:
        found.setdefault(problem.line, []).append(problem.message)
    return found


def test_good_lines_become_drafts_numbered_as_in_the_spreadsheet():
    parsed = parse(csv_text(GOOD_1, GOOD_2), NOW)
    assert parsed.problems == []
    assert [line for line, _ in parsed.drafts] == [2, 3]
    first = parsed.drafts[0][1]
    assert first.prison_number == "Z1001AA"
    assert first.date_of_birth == date(1990, 5, 17)
    assert first.release_date == date(2027, 2, 3)
    assert first.home_local_authority == "E09000033"
    second = parsed.drafts[1][1]
    assert second.release_date is None
    assert second.home_local_authority == ""


def test_reception_times_are_london_wall_clock_stored_as_utc():
    summer = GOOD_1.replace("2026-01-10 15:30", "2026-05-01 14:05")
    parsed = parse(csv_text(GOOD_1, summer.replace("Z1001AA", "Z1003AC")), NOW)
    winter, bst = (d.reception_at for _, d in parsed.drafts)
    assert winter == datetime(2026, 1, 10, 15, 30, tzinfo=UTC)
    assert bst == datetime(2026, 5, 1, 13, 5, tzinfo=UTC)


def test_a_date_only_reception_is_midnight_in_london():
    parsed = parse(csv_text(GOOD_2), NOW)
    assert parsed.drafts[0][1].reception_at == datetime(2026, 4, 1, 23, 0, tzinfo=UTC)


def test_lower_case_numbers_labels_and_a_byte_order_mark_are_accepted():
    header = HEADER.upper().replace(",", " , ")
    line = (
        "z1004ad,Testperson,Fictiona,1990-05-17,United Kingdom,English,"
        "Convicted unsentenced,2026-01-10T09:00,,Westminster"
    )
    parsed = parse("\ufeff" + header + "\r\n" + line + "\r\n", NOW)
    assert parsed.problems == []
    draft = parsed.drafts[0][1]
    assert draft.prison_number == "Z1004AD"
    assert (draft.nationality, draft.first_language) == ("GB", "en")
    assert draft.custody_status == "CONVICTED_UNSENTENCED"
    assert draft.home_local_authority == "E09000033"


def test_each_bad_line_is_reported_with_its_line_number_and_reason():
    bad_date = GOOD_2.replace("Z1002AB", "Z1005AE").replace("1985-12-01", "01/12/1985")
    bad_number = GOOD_2.replace("Z1002AB", "Z10X2AB")
    bad_code = GOOD_2.replace("Z1002AB", "Z1006AF").replace(",PL,", ",Atlantis,")
    parsed = parse(csv_text(GOOD_1, bad_date, GOOD_2, bad_number, bad_code), NOW)
    assert [line for line, _ in parsed.drafts] == [2, 4]
    reasons = reasons_by_line(parsed)
    assert set(reasons) == {3, 5, 6}
    assert any("date_of_birth '01/12/1985' is not a date" in r for r in reasons[3])
    assert any("Prison number" in r and "A1234BC" in r for r in reasons[5])
    assert any("nationality 'Atlantis' is not one we know" in r for r in reasons[6])


def test_a_line_with_several_problems_lists_them_all_and_keeps_its_prison_number():
    line = "Z1007AG,,Fictiona,2030-01-01,GB,en,SENTENCED,2026-01-10,2025-01-01,"
    parsed = parse(csv_text(line), NOW)
    assert parsed.drafts == []
    assert {p.line for p in parsed.problems} == {2}
    assert {p.prison_number for p in parsed.problems} == {"Z1007AG"}
    messages = " | ".join(p.message for p in parsed.problems)
    assert "Family name" in messages
    assert "in the future" in messages
    assert "before the reception date" in messages


def test_a_prison_number_repeated_in_the_file_is_reported_on_the_repeat():
    again = GOOD_1.replace("Testperson", "Otherperson")
    parsed = parse(csv_text(GOOD_1, GOOD_2, again.replace("Z1001AA", "z1001aa")), NOW)
    assert reasons_by_line(parsed) == {4: ["prison number repeats line 2"]}
    assert [line for line, _ in parsed.drafts] == [2, 3]


def test_blank_lines_are_skipped_without_shifting_line_numbers():
    parsed = parse(csv_text(GOOD_1, "", ",,,,,,,,,", GOOD_2.replace("1985-12-01", "bad")), NOW)
    assert [line for line, _ in parsed.drafts] == [2]
    assert set(reasons_by_line(parsed)) == {5}


def test_a_quoted_field_with_a_comma_is_read_whole():
    line = GOOD_1.replace("Testperson", '"Testperson, Jr"')
    parsed = parse(csv_text(line), NOW)
    assert parsed.drafts[0][1].family_name == "Testperson, Jr"


def test_missing_required_columns_are_reported_on_line_one():
    parsed = parse("prison_number,family_name\nZ1001AA,Testperson\n", NOW)
    assert parsed.drafts == []
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert problem.line == 1
    assert "given_names" in problem.message
    assert "reception_date" in problem.message


def test_optional_columns_may_be_left_out():
    header = ",".join(HEADER.split(",")[:8])
    line = ",".join(GOOD_2.split(",")[:8])
    parsed = parse(header + "\n" + line + "\n", NOW)
    assert parsed.problems == []
    assert parsed.drafts[0][1].release_date is None


def test_an_empty_file_has_no_drafts():
    parsed = parse("", NOW)
    assert parsed.drafts == []
    assert parsed.problems and parsed.problems[0].line == 1
