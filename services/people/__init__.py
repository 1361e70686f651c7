"""People and who they prove to be: citizen logins and tokens, face checks, revocation, institutions and their
signatures."""
