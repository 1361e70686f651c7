"""The message feed's texts, one per kind (and whom it tells), as gettext msgids; translations/ holds zh_CN and bo.

`N_` only marks a string for `pybabel extract`; services/notify/messages.py translates it when someone reads his feed.
"""


def N_(msgid: str) -> str:
    return msgid


TEMPLATES = {
    "invitation_received": N_("%(benefactor)s invites you to family mutual aid (you are their %(relation)s); "
                              "please confirm before the invitation expires."),
    "invitation_accepted.benefactor": N_("%(beneficiary)s (your %(relation)s) accepted your family mutual aid "
                                         "invitation; your personal account can now pay for them."),
    "invitation_accepted.beneficiary": N_("You are now bound to %(benefactor)s for family mutual aid; their account "
                                          "is number %(position)s of %(count)s in your payment order, which you can "
                                          "change under Helper accounts."),
    "invitation_declined.benefactor": N_("%(beneficiary)s declined your family mutual aid invitation."),
    "invitation_declined.invitee": N_("You declined the family mutual aid invitation."),
    "invitation_cancelled.benefactor": N_("You cancelled a family mutual aid invitation."),
    "invitation_cancelled.invitee": N_("%(benefactor)s cancelled the family mutual aid invitation to you."),
    "binding_ended": N_("Your family mutual aid with %(other)s has ended: %(reason)s."),
    "aid_paid": N_("Your personal account paid %(amount_fen)s for %(patient)s (%(relation)s) at %(institution)s."),
    "aid_reversed": N_("Refund at %(institution)s: %(amount_fen)s went back to your personal account "
                       "(it had paid for %(patient)s)."),
    "premium_paid.payer": N_("You paid the %(year)s resident medical insurance premium of %(amount_fen)s "
                             "for %(beneficiary)s."),
    "premium_paid.beneficiary": N_("%(benefactor)s paid your %(year)s resident medical insurance premium "
                                   "of %(amount_fen)s."),
    "identity_taken_over": N_("You confirmed your identity with a face check; another login that had been linked to "
                              "your identity without one was unlinked and signed out. If this was not you, contact "
                              "the medical insurance office."),
    "proxy_requested.carer": N_("You asked %(relative)s for a family proxy account; waiting for their consent."),
    "proxy_requested.person": N_("Your %(role)s %(carer)s asks to show your medical insurance e-voucher for you "
                                 "(family proxy account); agree or decline under Family proxy."),
    "proxy_approved.carer_young": N_("You opened a family proxy account for %(relative)s (under %(age)s, no consent "
                                     "needed) and can show their e-voucher for them."),
    "proxy_approved.person_young": N_("Your %(role)s %(carer)s opened a family proxy account for you and can show "
                                      "your medical insurance e-voucher for you."),
    "proxy_approved.carer_face": N_("%(relative)s consented with a face check; you can show their e-voucher for them "
                                    "(family proxy account)."),
    "proxy_approved.person_face": N_("With a face check you agreed that your %(role)s %(carer)s may show your "
                                     "e-voucher for you (family proxy account); you can end it any time under "
                                     "Family proxy."),
    "proxy_approved.carer": N_("%(relative)s agreed that you may show their e-voucher for them "
                               "(family proxy account)."),
    "proxy_approved.person": N_("You agreed that %(carer)s may show your e-voucher for you; you can end it any time "
                                "under Family proxy."),
    "proxy_declined.carer": N_("%(relative)s declined your family proxy request."),
    "proxy_declined.person": N_("You declined the family proxy request of %(carer)s."),
    "proxy_ended.carer_self": N_("You ended your family proxy account for %(relative)s."),
    "proxy_ended.carer_other": N_("%(relative)s ended your family proxy account for them."),
    "proxy_ended.person_self": N_("You ended the family proxy account of %(carer)s for you."),
    "proxy_ended.person_other": N_("%(carer)s ended their family proxy account for you."),
    "voucher_by_proxy": N_("Your %(role)s %(carer)s showed your medical insurance e-voucher for you "
                           "(family proxy account)."),
}

RELATIONS = {
    "spouse": N_("spouse"), "parent": N_("parent"), "child": N_("child"), "sibling": N_("sibling"),
    "grandparent": N_("grandparent"), "grandchild": N_("grandchild"),
}

END_REASONS = {
    "ended_by_benefactor": N_("the benefactor ended the binding"),
    "ended_by_beneficiary": N_("the beneficiary ended the binding"),
    "insurance_ended": N_("one party's medical insurance has ended"),
    "account_closed": N_("the benefactor's personal account was closed"),
    "left_tibet": N_("the benefactor is no longer insured in Tibet"),
}
