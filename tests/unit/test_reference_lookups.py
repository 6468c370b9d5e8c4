"""Reference lists and the lookups spreadsheets rely on (codes or labels, any case)."""

from app.domain import reference


def test_countries_include_the_special_codes_and_exclude_groupings():
    countries = reference.countries()
    assert countries["GB"] == "United Kingdom"
    assert countries["XX"] == "Stateless"
    assert countries["ZZ"] == "Not known"
    assert "EU" not in countries and "UN" not in countries


def test_languages_use_uk_usage():
    languages = reference.languages()
    assert languages["bn"] == "Bengali"
    assert languages["bfi"] == "British Sign Language"
    assert languages["en"] == "English"


def test_lookups_accept_codes_or_labels_in_any_case():
    assert reference.country_code("gb") == "GB"
    assert reference.country_code("  united kingdom ") == "GB"
    assert reference.language_code("PL") == "pl"
    assert reference.language_code("farsi (persian)") == "fa"
    assert reference.custody_code("convicted-unsentenced") == "CONVICTED_UNSENTENCED"
    assert reference.custody_code("Recall") == "RECALL"
    assert reference.local_authority_code("westminster") == "E09000033"


def test_unknown_or_blank_values_are_not_guessed():
    assert reference.country_code("Atlantis") is None
    assert reference.country_code("") is None
    assert reference.language_code("Elvish") is None
    assert reference.custody_code("Paroled") is None
    assert reference.local_authority_code("E99999999") is None


def test_retired_council_codes_map_to_their_successors():
    assert reference.local_authority_code("E08000016") == "E08000038"
    assert reference.local_authority_code("e08000019") == "E08000039"


def test_the_council_list_covers_england_and_wales_only():
    councils = reference.local_authorities()
    assert len(councils) > 300
    assert {la.nation for la in councils.values()} == {"England", "Wales"}
    assert all(code[0] in "EW" and len(code) == 9 for code in councils)
