"""The 2102's own reads, beside the settlement's (tests/test_hot_path.py): each by its own index, few of them."""
import json

from services.db import db

from .api import API
from .nhsa_client import Pos, flask_sender
from .plans import plans, recording


def a_2102(client, as_):
    pos = Pos(flask_sender(client), "ali-pharmacy")
    payload = client.post(f"{API}/vouchers", headers=as_("drolma")).json["payload"]
    psn_no = pos.call("1101", Pos.person_input("01", payload))["output"]["baseinfo"]["psn_no"]
    body = json.dumps(pos.envelope("2102", Pos.drug_input(psn_no, "01", payload, Pos.lines(("XA0101", 1, "3.00")))))
    resp, statements = recording(lambda: client.post(f"{API}/nhsa/2102", data=body, headers=pos.headers("2102")))
    assert resp.json["infcode"] == 0 and resp.json["output"]["setlinfo"]["acct_pay"] == 3.0, resp.json
    return statements


def test_the_ticket_of_an_e_voucher_is_found_through_the_voucher_s_index(client, as_, family):
    statements = a_2102(client, as_)
    found = [(s, plan) for s, plan in plans(statements) if s.lstrip().startswith("SELECT tickets.token")]
    assert len(found) == 1, [s[:60] for s, _ in statements]
    # not the person's tickets at this institution, walked and sorted: a bench person has hundreds
    assert "ix_tickets_voucher_id" in found[0][1], found[0]


def test_a_2102_reads_two_things_more_than_the_counter_s_settlement_and_no_nonce(client, as_, family):
    statements = a_2102(client, as_)
    # the gateway's institution, the msgid's earlier answer, the ticket with its person, then the settlement's own
    # (ticket claimed, catalogue, family, accounts, settlement row, booking(s)); the _api_* scheme has no nonce
    sqlite = db.engine.dialect.name == "sqlite"
    assert len(statements) == (10 if sqlite else 9), [s.split("\n")[0][:80] for s, _ in statements]
