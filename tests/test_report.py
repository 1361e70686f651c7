"""The fund's monthly report (CLI) against a hand-computed table, and audit's day-by-day check of the ledger."""
import csv
import io

import pytest
from sqlalchemy import select, update

from services.db import db
from services.models import LedgerEntry

from . import api
from .clock import china
from .counter import DRUG, SUPPLEMENT, Counter, items, settle

HEADER = "institution_id,name,settlements,total_fen,own_account_fen,mutual_aid_fen,cash_fen,reversals,reversed_fen"


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def march(client, as_, clock):
    """Around March 2026 at two Ali counters; China time decides the month, not UTC."""
    pharmacy, hospital = Counter(client, "ali-pharmacy"), Counter(client, "ali-hospital")
    api.bind(client, as_, "tashi", "father", "parent")
    for who in ("father", "drolma"):
        as_(who)
    clock.set(china("2026-02-28", 23, 30))
    settle(client, as_, pharmacy, "father", "A-1", items((DRUG, 1, 1000), (SUPPLEMENT, 1, 200)))   # February
    clock.set(china("2026-03-01", 0, 10))                                       # still February 28 in UTC
    settle(client, as_, pharmacy, "drolma", "A-2", items((DRUG, 1, 2000)), "card")
    clock.set(china("2026-03-15", 14))
    settle(client, as_, pharmacy, "father", "A-3", items((DRUG, 1, 3000), (SUPPLEMENT, 1, 500)), "offline_voucher")
    settle(client, as_, hospital, "father", "H-1", items((DRUG, 1, 800)))
    clock.set(china("2026-03-31", 23, 50))
    assert pharmacy.reverse("A-1").status_code == 200                           # February's bill, refunded in March
    clock.set(china("2026-04-01", 0, 5))                                        # still March 31 in UTC
    assert pharmacy.reverse("A-3").status_code == 200                           # a reversal of April


def test_the_monthly_report_is_the_hand_computed_table(app, march):
    result = invoke(app, "report", "--month", "2026-03")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        HEADER,
        "ali-hospital,阿里地区人民医院,1,800,0,800,0,0,0",
        "ali-pharmacy,噶尔县雪域大药房,2,5500,2000,3000,500,1,1200",
        "chengdu-pharmacy,成都锦江区百姓药房,0,0,0,0,0,0,0",
        "lhasa-pharmacy,拉萨城关区圣城药房 (异地共济),0,0,0,0,0,0,0",
    ]


def test_the_neighbouring_months(app, march):
    rows = {r["institution_id"]: r for r in csv.DictReader(io.StringIO(invoke(app, "report", "--month",
                                                                              "2026-02").output))}
    assert rows["ali-pharmacy"] == {"institution_id": "ali-pharmacy", "name": "噶尔县雪域大药房", "settlements": "1",
                                    "total_fen": "1200", "own_account_fen": "0", "mutual_aid_fen": "1000",
                                    "cash_fen": "200", "reversals": "0", "reversed_fen": "0"}
    april = invoke(app, "report", "--month", "2026-04", "--region", "5425").output.splitlines()
    assert april == [HEADER, "ali-hospital,阿里地区人民医院,0,0,0,0,0,0,0",
                     "ali-pharmacy,噶尔县雪域大药房,0,0,0,0,0,1,3500"]


def test_region_filters_institutions_by_prefix(app, march):
    ids = [line.split(",")[0] for line in invoke(app, "report", "--month", "2026-03", "--region", "54").output
           .splitlines()[1:]]
    assert ids == ["ali-hospital", "ali-pharmacy", "lhasa-pharmacy"]
    assert invoke(app, "report", "--month", "2026-03", "--region", "11").output == HEADER + "\n"


@pytest.mark.parametrize("args, says", [
    (["--month", "2026-13"], "month: must be YYYY-MM"),
    (["--month", "2026-3"], "month: must be YYYY-MM"),
    (["--month", "march"], "month: must be YYYY-MM"),
    (["--month", "2026-03", "--region", "54x"], "region: must be 1 to 6 digits"),
])
def test_bad_arguments_are_refused_plainly(app, family, args, says):
    result = invoke(app, "report", *args)
    assert result.exit_code == 1 and says in result.output and HEADER not in result.output


def test_month_is_required(app, family):
    result = invoke(app, "report")
    assert result.exit_code == 2 and "--month" in result.output


def test_audit_holds_day_by_day(app, march):
    result = invoke(app, "audit")
    assert result.exit_code == 0, result.output


def test_audit_names_the_day_whose_ledger_disagrees(app, march):
    """A ledger line moved to another day: every balance still adds up, only the days disagree."""
    entry = db.session.scalar(select(LedgerEntry).where(LedgerEntry.order_no == "H-1"))
    db.session.execute(update(LedgerEntry).where(LedgerEntry.id == entry.id)
                       .values(at=china("2026-03-16", 9)))
    db.session.commit()
    result = invoke(app, "audit")
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert failures == [
        "FAIL ali-hospital on 2026-03-15 (China date): its settlements and reversals took 800 fen net from "
        "accounts, but that day's ledger entries took 0 fen",
        "FAIL ali-hospital on 2026-03-16 (China date): its settlements and reversals took 0 fen net from "
        "accounts, but that day's ledger entries took 800 fen"]
