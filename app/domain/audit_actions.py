"""Every action the audit log records, as one type.

The names are a contract: they are stored in `audit_log.action`, filtered on in the audit
viewer and printed by `resettle audit`, so a value is never renamed once released. A new kind
of action is a new member here, which the unknown-codes check (app.store.code_check) then knows.
"""

from __future__ import annotations

from enum import StrEnum


class RecordType(StrEnum):
    """What kind of record an audit entry is about (audit_log.record_type; "" for none).

    A bundle's export is recorded under its bundle type ("referral" or "transfer").
    """

    AUDIT = "audit"
    BACKUP = "backup"
    BUNDLE = "bundle"
    CASELOAD = "caseload"
    CHECKLIST_ITEM = "checklist_item"
    CLOSURE_DAY = "closure_day"
    CONSENT = "consent"
    COURT_DATE = "court_date"
    DIRECTORY = "directory"
    NEED_ACTION = "need_action"
    PERSON = "person"
    PLAN_TASK = "plan_task"
    REFERRAL = "referral"
    SETTING = "setting"
    SIGNING_IDENTITY = "signing_identity"
    SUPPORT_NEED = "support_need"
    TRANSFER = "transfer"
    USER = "user"
    WORKSTATION = "workstation"



class Action(StrEnum):
    # the workstation and its users
    INITIALISE = "initialise"
    DEMO_CREATED = "demo_created"
    UNLOCK = "unlock"
    UNLOCK_FAILED = "unlock_failed"
    LOCK = "lock"
    RECOVERY_KEY_USED = "recovery_key_used"
    USER_CREATED = "user_created"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    USER_PASSPHRASE_RESET = "user_passphrase_reset"
    USER_ROLE_CHANGED = "user_role_changed"
    OWN_PASSPHRASE_CHANGED = "own_passphrase_changed"
    SETTING_CHANGED = "setting_changed"
    AUDIT_VIEWED = "audit_viewed"
    BACKUP_CREATED = "backup_created"
    BACKUP_RESTORED = "backup_restored"
    CLOSURE_DAY_ADDED = "closure_day_added"
    CLOSURE_DAY_REMOVED = "closure_day_removed"
    # people and the caseload
    PERSON_VIEWED = "person_viewed"
    PERSON_CREATED = "person_created"
    PERSON_UPDATED = "person_updated"
    PERSON_TRANSFERRED = "person_transferred"
    CASELOAD_LISTED = "caseload_listed"
    PEOPLE_LISTED = "people_listed"
    PEOPLE_IMPORTED = "people_imported"
    INDUCTION_LISTED = "induction_listed"
    # screening and needs
    SCREENING_DRAFT_SAVED = "screening_draft_saved"
    SCREENING_COMPLETED = "screening_completed"
    SCREENING_AMENDED = "screening_amended"
    SCREENING_EXPORTED = "screening_exported"
    SCREENING_SKIPPED = "screening_skipped"
    BCST_SUMMARY_PRINTED = "bcst_summary_printed"
    NEED_ACCEPTED = "need_accepted"
    NEED_DECLINED = "need_declined"
    NEED_STATUS_CHANGED = "need_status_changed"
    NEED_ACTION_MARKED = "need_action_marked"
    # planning
    PLANNING_BOARD_LISTED = "planning_board_listed"
    PLAN_STARTED = "plan_started"
    PLANS_OPENED = "plans_opened"
    PLAN_UPDATED = "plan_updated"
    PLAN_TASK_ADDED = "plan_task_added"
    PLAN_TASK_UPDATED = "plan_task_updated"
    COURT_DATE_ADDED = "court_date_added"
    COURT_DATE_REMOVED = "court_date_removed"
    EDIC_LISTED = "edic_listed"
    EDIC_PRINTED = "edic_printed"
    MAPPA_LISTED = "mappa_listed"
    MAPPA_PRINTED = "mappa_printed"
    # consent and referrals
    CONSENT_RECORDED = "consent_recorded"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    REFERRAL_CREATED = "referral_created"
    REFERRAL_UPDATED = "referral_updated"
    REFERRALS_LISTED = "referrals_listed"
    # release day and outcomes
    RELEASE_CHECKLIST_STARTED = "release_checklist_started"
    RELEASE_CHECKLIST_ITEM_ADDED = "release_checklist_item_added"
    RELEASE_CHECKLIST_ITEM_CHANGED = "release_checklist_item_changed"
    RELEASE_CHECKLIST_SIGNED_OFF = "release_checklist_signed_off"
    RELEASE_SHEET_PRINTED = "release_sheet_printed"
    RELEASE_OUTCOME_RECORDED = "release_outcome_recorded"
    RELEASE_OUTCOME_FOLLOWED_UP = "release_outcome_followed_up"
    SUPPORT_CONTACT_ADDED = "support_contact_added"
    OUTCOMES_REPORT_VIEWED = "outcomes_report_viewed"
    OUTCOMES_REPORT_EXPORTED = "outcomes_report_exported"
    OUTCOMES_REPORT_PRINTED = "outcomes_report_printed"
    # information sheets and the directory
    INFORMATION_SHEETS_GIVEN = "information_sheets_given"
    DIRECTORY_SERVICE_ADDED = "directory_service_added"
    DIRECTORY_SERVICE_CHANGED = "directory_service_changed"
    DIRECTORY_SERVICE_MOVED = "directory_service_moved"
    DIRECTORY_SERVICE_REMOVED = "directory_service_removed"
    # signing and bundles
    SIGNING_KEY_CREATED = "signing_key_created"
    SIGNING_KEY_ROTATED = "signing_key_rotated"
    SIGNING_KEY_IMPORTED = "signing_key_imported"
    SIGNING_CERTIFICATE_EXPORTED = "signing_certificate_exported"
    BUNDLE_EXPORT_STARTED = "bundle_export_started"
    BUNDLE_EXPORTED = "bundle_exported"
    BUNDLE_EXPORT_FAILED = "bundle_export_failed"
    BUNDLE_UPLOADED = "bundle_uploaded"
    BUNDLE_ACKNOWLEDGED = "bundle_acknowledged"
    BUNDLE_WITHDRAWN = "bundle_withdrawn"
    TRANSFER_IMPORTED = "transfer_imported"
    TRUSTED_SENDER_ADDED = "trusted_sender_added"
    TRUSTED_SENDER_REMOVED = "trusted_sender_removed"
