"""Checkout at the counter: e-vouchers and cards into tickets, the catalogue, the settlement, the national interface's
people, visits and message ids."""
