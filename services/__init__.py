"""The business of family mutual aid: every rule of RULES.md lives in this package.

Rooms, each importing only itself and the rooms before it (tests/test_layout.py):
the plumbing at this root (database, clock, errors, settings, QR, crypto, names) and models/ · notify/ (the feed and
its subscribe messages) · people/ (logins, tokens, face checks, institutions' signatures) · family/ (bindings,
invitations, the helper order, proxies) · money/ (the ledger, accounts, premiums, reconciliation) · checkout/
(vouchers, tickets, the settlement) · admin/ (the registry import, the demo data)."""
