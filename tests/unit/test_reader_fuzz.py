"""Fuzzing the two readers of outside files: whatever the bytes, they raise only the errors the
CLI turns into exit 1 (UserError, BundleError), never anything that would be exit 3."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bundles import bundle_format as fmt
from app.bundles import cms, schemas
from app.bundles import identity as ident
from app.domain import csv_people
from app.errors import UserError

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
NOW = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
MADE = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
HEADER = ",".join(csv_people.COLUMNS)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=2**62, max_value=2**80)
    | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip


# --- the caseload CSV -------------------------------------------------------------------------

def read_csv(raw: bytes) -> None:
    """What import-people does with a file before the database: decode it, parse it."""
    try:
        csv_people.parse(csv_people.decode(raw, "fuzz.csv"), NOW)
    except UserError:
        pass


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_caseload_csv(raw):
    read_csv(raw)


cells = st.lists(st.sampled_from(list('A1Z9-: ,"\n\r\t\x00éØ€=\'') + ["2026-02-30",
                 "1990-05-17", "GB", "en", "REMAND", "E09000033"]), max_size=8).map("".join)


@FUZZ
@given(st.lists(st.lists(cells, max_size=12), max_size=6),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))  # fmt: skip
def test_spreadsheet_like_lines_as_a_caseload_csv(rows, encoding):
    text = "\n".join([HEADER, *(",".join(row) for row in rows)])
    read_csv(text.encode(encoding, errors="replace"))


# --- the signed bundle ------------------------------------------------------------------------

@cache
def _identity() -> ident.Identity:
    return ident.generate("HMP Fuzzington (fictional)", MADE)


@cache
def _good() -> bytes:
    return _build(b'{"schema_version": 1}').data


def _build(payload: bytes, bundle_type: str = "referral") -> fmt.BuiltBundle:
    name = "referral.json" if bundle_type == "referral" else "transfer.json"
    return fmt.build({name: payload}, _identity(), bundle_type=bundle_type,
                     referral_type="CAS3", created_at=MADE, created_by=("Fuzz", "worker"),
                     establishment="HMP Fuzzington (fictional)",
                     recipient="Fictional Council")  # fmt: skip


def read_bundle(data: bytes) -> None:
    """What `resettle verify` does with the bytes."""
    try:
        fmt.verify(data, payload_check=schemas.check_payload)
    except fmt.BundleError:
        pass


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_bundle(data):
    read_bundle(data)


@FUZZ
@given(st.data())
def test_a_real_bundle_with_bytes_changed(data):
    changed = bytearray(_good())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(changed) - 1))
        changed[at] = data.draw(st.integers(0, 255))
    read_bundle(bytes(changed))


@FUZZ
@given(st.dictionaries(st.sampled_from(["manifest.json", "manifest.json.p7s", "SHA256SUMS",
                                        "signer.pem", "referral.json", "transfer.json"]),
                       st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()),
                       max_size=6))  # fmt: skip
def test_a_zip_of_made_up_members_as_a_bundle(members):
    read_bundle(_zip(members))


@FUZZ
@given(st.sampled_from(["schema_version", "bundle_id", "bundle_type", "created_at",
                        "created_by", "signer_fingerprint_sha256", "members", "members.0",
                        "members.0.name", "members.0.size", "members.0.sha256"]),
       json_values)  # fmt: skip
def test_a_signed_manifest_with_any_value_anywhere(where, value):
    """Signed again after the change, so every check after the signature's is reached."""
    built = _build(b'{"schema_version": 1}')
    manifest = json.loads(json.dumps(built.manifest))
    *parents, last = where.split(".")
    target = manifest
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    members = _members(built.data)
    members["manifest.json"] = json.dumps(manifest).encode()
    members["manifest.json.p7s"] = cms.sign_detached(members["manifest.json"],
                                                     _identity().certificate, _identity().key)
    read_bundle(_zip(members))


@FUZZ
@given(json_values | st.dictionaries(st.sampled_from(["schema_version", "exported_at", "person",
                                                      "tables", "history", "referral"]),
                                     json_values, max_size=5),
       st.sampled_from(["referral", "transfer"]))  # fmt: skip
def test_a_signed_payload_of_any_json(document, bundle_type):
    read_bundle(_build(json.dumps(document).encode(), bundle_type).data)


@FUZZ
@given(st.integers(0, 0xFFFF), st.integers(0, 0xFFFF))
def test_a_real_bundle_whose_first_member_has_any_flags_and_compression(flags, method):
    data = bytearray(_good())
    with zipfile.ZipFile(io.BytesIO(_good())) as archive:
        start = archive.start_dir  # type: ignore[attr-defined]
        first = archive.infolist()[0].header_offset
    for offset, value in ((first + 6, flags), (start + 8, flags), (first + 8, method),
                          (start + 10, method)):  # fmt: skip
        data[offset:offset + 2] = value.to_bytes(2, "little")
    read_bundle(bytes(data))


@FUZZ
@given(st.integers(1, 200_000), st.sampled_from(["[", '{"a":', '{"members":[']),
       st.sampled_from(["manifest.json", "payload"]))  # fmt: skip
def test_json_nested_any_depth(depth, opener, where):
    closer = {"[": "]", '{"a":': "}", '{"members":[': "]}"}[opener]
    nested = (opener * depth + "1" + closer * depth).encode()
    if where == "payload":
        read_bundle(_build(nested).data)
    else:
        members = _members(_good())
        members["manifest.json"] = nested
        read_bundle(_zip(members))


# --- a transfer bundle's record, once its signature and schema are good -----------------------

column_values = (st.none() | st.booleans() | st.integers() | st.integers(2**62, 2**80)
                 | st.integers(-(2**80), -(2**62))
                 | st.sampled_from(["", "2026-02-30", "2026-01-05", "2026-02-30T10:00:00Z",
                                    "2026-01-05T10:00:00Z", "25:61", "10:00", "{}", "[]",
                                    "not json", '{"a": 1}', "BCST1", "COMPLETED", "x" * 300])
                 | st.text(max_size=12))  # fmt: skip


@cache
def _tables() -> dict[str, tuple[list[str], list[tuple[str, list[str]]]]]:
    from app.services import transfer_bundles as tb

    return {parent.__tablename__: ([k for k, _ in tb._data_columns(parent)],
                                   [(c.__tablename__, [k for k, _ in tb._data_columns(c)])
                                    for c in children])
            for parent, children in tb.RECORD.items()}  # fmt: skip


@st.composite
def transfer_documents(draw: st.DrawFn) -> dict:
    def row(columns: list[str]) -> dict:
        chosen = draw(st.lists(st.sampled_from(columns), max_size=len(columns), unique=True))
        return {c: draw(column_values) for c in chosen}

    from app.services import transfer_bundles as tb

    person = {"prison_number": "A1234BC", "family_name": "Fuzz", "given_names": "Fictiona",
              "date_of_birth": "1990-01-01", "nationality": "GB", "first_language": "en",
              "custody_status": "REMAND", "reception_at": "2026-01-05T10:00:00Z",
              "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z"}
    if draw(st.booleans()):
        person.update(row([k for k, _ in tb._data_columns(tb.Person)][3:]))
    tables = {}
    for table in draw(st.lists(st.sampled_from(sorted(_tables())), max_size=3, unique=True)):
        columns, children = _tables()[table]
        items = []
        for _ in range(draw(st.integers(0, 2))):
            item = row(columns)
            if children and draw(st.booleans()):
                child_table, child_columns = draw(st.sampled_from(children))
                item["children"] = {child_table: [row(child_columns)]}
            items.append(item)
        tables[table] = items
    exported = draw(st.sampled_from(["2026-05-01T09:00:00Z", "2026-02-30T09:00:00Z",
                                     "2026-05-01T25:00:00Z"]))  # fmt: skip
    return {"schema_version": 1, "exported_at": exported, "person": person, "tables": tables,
            "history": []}


@FUZZ
@given(transfer_documents())
def test_a_schema_valid_transfer_record_is_read_or_refused_with_reasons(document):
    from app.services import transfer_bundles as tb

    if schemas.problems(document, schemas.TRANSFER_SCHEMA):
        return  # verify refuses it before the record is read
    record, problems = tb._parse({"bundle_id": "fuzz"}, document)
    assert (record is None) == bool(problems)
    assert all(isinstance(p, str) and p for p in problems)
    if record is not None:  # what would be written is what the database and readers can take
        for part in [record.person, *(r.values for r in record.rows),
                     *(c.values for r in record.rows for c in r.children)]:  # fmt: skip
            for key, value in part.items():
                if isinstance(value, int):
                    assert -(2**63) <= value < 2**63, key
                if key in ("answers", "changes"):
                    assert isinstance(json.loads(value), dict)
