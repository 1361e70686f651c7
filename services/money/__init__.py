"""Money: the ledger (the only code that changes a balance), accounts, premiums paid on behalf, reconciliation,
the fund's report and the ledger audit."""
