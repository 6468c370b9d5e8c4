"""The JSON Schemas bundle payloads must follow (resources/schemas/), and checking them.

The schema file is the contract with recipients' systems; checking it on export and on verify
means a bundle that does not follow it never leaves, and is named as such when it arrives.
"""

from __future__ import annotations

import json
from functools import cache

from app.paths import resources_dir

REFERRAL_SCHEMA = "referral-v1.schema.json"
TRANSFER_SCHEMA = "transfer-v1.schema.json"


@cache
def _validator(name: str):  # noqa: ANN202 - jsonschema's validator class
    from jsonschema import Draft202012Validator

    schema = json.loads((resources_dir() / "schemas" / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(document: object, schema: str) -> list[str]:
    """Plain messages, one per place the document breaks the schema (empty when valid)."""
    found = []
    for error in sorted(_validator(schema).iter_errors(document), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.path) or "(top level)"
        found.append(f"{where}: {error.message}")
    return found


def check_payload(manifest: dict, members: dict[str, bytes]) -> list[str]:
    """For bundle_format.verify: the payload document follows the schema of its bundle type."""
    kind = manifest.get("bundle_type")
    payloads = {"referral": ("referral.json", REFERRAL_SCHEMA),
                "transfer": ("transfer.json", TRANSFER_SCHEMA)}
    name, schema = payloads.get(str(kind), (None, None))
    if name is None or schema is None:
        return [f"Unknown bundle type {kind!r}."]
    if name not in members:
        return [f"{name} is missing from this {kind} bundle."]
    from app.bundles.bundle_format import BundleError, load_json

    try:
        document = load_json(members[name], name)
    except BundleError as exc:
        return [str(exc)]
    found = problems(document, schema)
    return [f"{name} does not follow its schema: {found[0]}"] if found else []
