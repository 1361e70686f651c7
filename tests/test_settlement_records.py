"""Settlement records through the HTTP API: reversal, who sees what, bad bills, audit, the catalogue, headroom."""
import pytest
from sqlalchemy import func, select

from services.db import db
from services.models import LedgerEntry, Settlement
from services.money import audit

from . import api, factory
from .api import API
from .counter import Counter, items, ticket
from .test_settlement import father_helpers  # noqa: F401 (fixture)
from .test_settlement import DRUG, balances, parts, settle


def test_reversal_returns_money_to_exactly_the_payers_once(client, as_, family, ali, father_helpers):
    factory.set_person(family, "tashi", balance_fen="3000")
    s = settle(client, as_, ali, "father", items((DRUG, 1, 10000)))
    assert balances(family, "tashi", "phuntsok") == [0, 293000]
    r1 = ali.reverse("NO-1", "退药")
    r2 = ali.reverse("NO-1")
    assert (r1.status_code, r2.status_code) == (200, 200)
    assert r1.json["status"] == "reversed" and r1.json["reversed_at"] and r1.json == r2.json
    assert balances(family, "tashi", "phuntsok") == [3000, 300000]
    assert s["id"] == r1.json["id"]
    assert audit.run() == []
    assert api.error(Counter(client, "ali-hospital").reverse("NO-1")) == (404, "not_found")


def test_counter_reads_only_its_own_settlements(client, as_, family, ali):
    settle(client, as_, ali, "drolma", items((DRUG, 1, 100)))
    assert ali.call("GET", "/counter/settlements/NO-1").json["cash_fen"] == 0
    assert api.error(Counter(client, "ali-hospital").call("GET", "/counter/settlements/NO-1")) == (
        404, "not_found")


def test_people_see_who_paid_what(client, as_, family, ali, father_helpers):
    settle(client, as_, ali, "father", items((DRUG, 1, 2500)))
    entries = client.get(f"{API}/account/entries", headers=as_("tashi")).json["items"]
    aid = entries[0]
    assert (aid["kind"], aid["amount_fen"], aid["order_no"]) == ("mutual_aid", -2500, "NO-1")
    assert aid["counterparty"] == {"name_masked": "次***", "relation": "parent"}
    assert aid["institution"] == {"id": "ali-pharmacy", "name": "噶尔县雪域大药房"}
    assert entries[-1]["kind"] == "registry"
    mine = client.get(f"{API}/settlements", headers=as_("father")).json["items"]
    assert [(a["benefactor"]["name_masked"], a["amount_fen"]) for a in mine[0]["mutual_aid"]] == [("扎***", 2500)]
    msgs = client.get(f"{API}/messages", headers=as_("tashi")).json["items"]
    assert msgs[0]["kind"] == "aid_paid" and "¥25.00" in msgs[0]["text"]
    assert client.get(f"{API}/account", headers=as_("tashi")).json == {"balance_fen": 497500, "status": "normal"}
    assert api.error(client.get(f"{API}/account", headers=as_("father"))) == (404, "not_found")


@pytest.mark.parametrize("body, field", [
    ({"items": items((DRUG, 0, 100))}, "items.0.quantity"),
    ({"items": items((DRUG, 1, -1))}, "items.0.unit_price_fen"),
    ({"items": items(*[(DRUG, 1, 1)] * 101)}, "items"),
    ({"items": []}, "items"),
    ({"order_no": "x" * 65}, "order_no"),
    ({"items": [{"code": DRUG, "quantity": 1.5, "unit_price_fen": 100}]}, "items.0.quantity"),
    ({"items": items((DRUG, 1, 1), (DRUG, 10001, 1))}, "items.1.quantity"),
])
def test_bad_bills_are_invalid_requests_and_change_nothing(client, as_, family, ali, body, field):
    t = ticket(client, as_, ali, "drolma")
    resp = ali.settle(**{"ticket": t, "order_no": "NO-1", "items": items((DRUG, 1, 100)), **body})
    assert api.error(resp) == (400, "invalid_request")
    assert field in resp.json["error"]["details"]
    assert balances(family, "drolma") == [8000]
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry).where(
        LedgerEntry.kind != "registry")) == 0


def test_audit_catches_a_settlement_whose_parts_or_entries_disagree(app, client, as_, family, ali, father_helpers):
    from sqlalchemy import text
    s = settle(client, as_, ali, "father", items((DRUG, 1, 2500)))
    assert app.test_cli_runner().invoke(args=["audit"]).exit_code == 0
    db.session.execute(text("UPDATE settlements SET cash_fen = cash_fen + 1 WHERE id = :id"), {"id": s["id"]})
    db.session.execute(text("UPDATE settlement_aid SET amount_fen = amount_fen - 1 WHERE settlement_id = :id"),
                       {"id": s["id"]})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit"])
    assert result.exit_code == 1
    assert f"settlement {s['id']}: own 0 + family 2500 + cash 1 against total 2500" in result.output
    db.session.execute(text("UPDATE settlements SET status = 'reversed' WHERE id = :id"), {"id": s["id"]})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit"])
    assert f"settlement {s['id']}: accounts paid 2500 fen but its entries debit 2500 and credit 0" in result.output


def test_counter_reads_the_catalogue_it_is_judged_by(client, family, ali):
    resp = ali.call("GET", "/counter/catalogue")
    assert resp.status_code == 200
    eligible = {i["code"]: (i["eligible"], i["price_cap_fen"]) for i in resp.json["items"]}
    assert eligible == {"JC0404": (True, None), "NX0901": (False, None), "NX0902": (False, None),
                        "XA0101": (True, None), "XB0202": (True, None), "ZY0303": (True, None), "ZY0606": (True, 2000)}


def test_a_reversal_gives_headroom_back_to_the_month_of_the_settlement(client, as_, family, ali, father_helpers):
    from sqlalchemy import update

    from services.models import SettlementAid
    first, _ = father_helpers
    client.patch(f"{API}/bindings/{first}", json={"monthly_limit_fen": 1000}, headers=as_("tashi"))
    last_month = settle(client, as_, ali, "father", items((DRUG, 1, 1000)), "OLD-1")
    db.session.execute(update(Settlement).where(Settlement.id == last_month["id"]).values(month="2000-01"))
    db.session.execute(update(SettlementAid).where(SettlementAid.settlement_id == last_month["id"])
                       .values(month="2000-01"))
    db.session.commit()                        # it now belongs to an earlier month: this month is untouched
    s1 = settle(client, as_, ali, "father", items((DRUG, 1, 1000)), "NEW-1")
    assert parts(s1) == (0, [("扎***", 1000)], 0)   # this month's full limit
    assert ali.reverse("OLD-1").status_code == 200
    s2 = settle(client, as_, ali, "father", items((DRUG, 1, 500)), "NEW-2")
    assert parts(s2) == (0, [("平*", 500)], 0)      # the old month's refund adds nothing to this month
    assert ali.reverse("NEW-1").status_code == 200
    s3 = settle(client, as_, ali, "father", items((DRUG, 1, 500)), "NEW-3")
    assert parts(s3) == (0, [("扎***", 500)], 0)    # this month's refund does
