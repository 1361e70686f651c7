"""The business of family mutual aid: every rule of RULES.md lives in this package."""
