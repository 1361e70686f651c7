"""One message per error code, in English as the gettext msgid; translations/ holds Chinese and Tibetan.

Neutral ground: the HTTP face (mini/errors.py), the national interface's err_msg (nhsa/) and the administrators'
CLI (cli.py) all read it; a raise site passes only the code (services/errors.py)."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

TEXTS = {
    "invalid_request": _l("The request is not valid; check the fields and try again."),
    "unauthenticated": _l("You are not signed in, or your sign-in is no longer valid; please sign in again."),
    "token_expired": _l("Your sign-in has expired; please refresh it."),
    "bad_signature": _l("The request's signature is not valid."),
    "stale_timestamp": _l("The request's time is too far from the server's time; check the terminal's clock."),
    "nonce_reused": _l("This request was already received once."),
    "unknown_institution": _l("This institution is not known."),
    "verification_required": _l("Please verify your identity first and link your insured identity."),
    "forbidden": _l("You may not do this."),
    "not_found": _l("Not found."),
    "method_not_allowed": _l("This method is not allowed here."),
    "payload_too_large": _l("The request is too large."),
    "unsupported_media_type": _l("The request must be sent as JSON."),
    "conflict": _l("This conflicts with the current state; reload and try again."),
    "already_linked": _l("This login or this person is already linked to an identity."),
    "already_bound": _l("This relative is already bound to you."),
    "invitation_not_pending": _l("This invitation has already been answered."),
    "voucher_used": _l("This e-voucher has already been scanned; please show a new one."),
    "ticket_used": _l("This ticket has already been used for a settlement."),
    "idempotency_conflict": _l("This request number was already used for a different request."),
    "already_paid": _l("This year's premium has already been paid."),
    "request_in_progress": _l("The same request is being processed; please wait a moment."),
    "precondition_failed": _l("The data changed since you loaded it; reload and try again."),
    "precondition_required": _l("Reload the data before changing it."),
    "refused": _l("The request was refused."),
    "identity_mismatch": _l("The ID number and the name do not match an insured person."),
    "self_binding": _l("You cannot bind to yourself."),
    "not_close_relative": _l("The registry does not record this close family relation."),
    "benefactor_not_eligible": _l("You do not meet the conditions for helping with family mutual aid."),
    "beneficiary_not_eligible": _l("The relative does not meet the conditions for receiving family mutual aid."),
    "invitee_mismatch": _l("The invitation does not match the invited person."),
    "too_many_beneficiaries": _l("You already help the largest number of relatives allowed."),
    "invitation_expired": _l("This invitation has expired; ask for a new one."),
    "invalid_order": _l("The order of helpers is not valid."),
    "voucher_expired": _l("This e-voucher has expired; please show a new one."),
    "voucher_invalid": _l("This e-voucher is not valid."),
    "ticket_invalid": _l("The ticket is not valid or has expired; please scan again."),
    "not_resident_insured": _l("Only a resident-insured relative's premium can be paid this way."),
    "insufficient_balance": _l("The personal account balance is not enough."),
    "outside_collection_window": _l("This year's premium is not being collected now."),
    "no_schedule": _l("No premium is scheduled for this region and year."),
    "binding_ended": _l("This family mutual aid binding has ended."),
    "account_not_normal": _l("Your personal account is not in normal status."),
    "not_insured": _l("This person's medical insurance has ended."),
    "card_invalid": _l("This medical insurance card is not valid or has been reported lost."),
    "preview_limit_reached": _l("This ticket has been previewed too many times; please settle it."),
    "too_many_proxies": _l("You already have the largest number of family proxy accounts allowed."),
    "proxy_not_active": _l("This family proxy account is not active."),
    "gateway_refused": _l("The service gateway refused the request's signature."),
    "unsupported_transaction": _l("This transaction is not offered here."),
    "unsupported_cert_type": _l("Scan the medical insurance e-voucher or read the card; an ID number alone cannot be used here."),
    "visit_unknown": _l("This visit is not known for this person at this institution."),
    "batch_uploaded": _l("This batch of fee lines was already uploaded; withdraw it first."),
    "batch_unknown": _l("No fee lines were uploaded under this batch number."),
    "settlement_unknown": _l("No settlement of this person has that settlement ID at this institution."),
    "rate_limited": _l("Too many requests; please try again later."),
    "service_unavailable": _l("The service is briefly unavailable; please try again."),
    "internal_error": _l("Something went wrong on our side; nothing was changed."),
}
FALLBACK = _l("The request could not be completed.")


def message(code: str) -> str:
    """The code's message in the request's language (an unknown code gets the general one, never the code)."""
    return str(TEXTS.get(code, FALLBACK))


def english(code: str) -> str:
    """The code's message as written here, in English: the language of the CLI, which has no request to ask."""
    with force_locale("en"):   # no catalogue of ours is English: gettext answers the msgid
        return message(code)

