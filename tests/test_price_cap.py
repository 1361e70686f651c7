"""The catalogue's payment standard (医保支付标准): per line, accounts pay at most quantity × price_cap_fen."""
from sqlalchemy import select

from services.db import db
from services.models import CatalogueItem

from . import api, factory
from .api import API
from .counter import items, ticket
from .test_registry import invoke, write

CAPPED, DRUG, SUPPLEMENT = "ZY0606", "XA0101", "NX0901"   # cap 2000 a unit; no cap; not eligible


def test_a_line_above_the_standard_pays_the_rest_in_cash(client, as_, family, ali):
    api.bind(client, as_, "tashi", "father", "parent")
    bill = items((CAPPED, 3, 2600), (DRUG, 2, 1000), (SUPPLEMENT, 1, 500), (CAPPED, 1, 1500))
    t = ticket(client, as_, ali, "father")
    preview = ali.preview(t, bill).json
    s = ali.settle(t, "NO-1", bill).json
    assert [line["eligible_fen"] for line in s["items"]] == [6000, 2000, 0, 1500]
    assert [line["eligible_fen"] for line in preview["items"]] == [6000, 2000, 0, 1500]
    assert (s["total_fen"], s["eligible_fen"]) == (7800 + 2000 + 500 + 1500, 9500)
    assert (s["own_account_fen"], s["mutual_aid_fen"], s["cash_fen"]) == (0, 9500, 2300)
    mine = client.get(f"{API}/settlements", headers=as_("father")).json["items"][0]
    assert [line["eligible_fen"] for line in mine["items"]] == [6000, 2000, 0, 1500]
    assert factory.balance(family["tashi"]) == 500000 - 9500


def test_own_account_is_capped_too(client, as_, family, ali):
    s = ali.settle(ticket(client, as_, ali, "drolma"), "NO-1", items((CAPPED, 1, 5000))).json
    assert (s["eligible_fen"], s["own_account_fen"], s["cash_fen"]) == (2000, 2000, 3000)


def caps():
    return dict(db.session.execute(select(CatalogueItem.code, CatalogueItem.price_cap_fen)).all())


def test_catalogue_import_reads_the_optional_cap(app, tmp_path):
    header = "code,name,eligible,price_cap_fen\n"
    good = write(tmp_path, "c.csv", header + "XA01,阿莫西林,true,1500\nXB02,布洛芬,true,\nNX01,保健品,false,0\n")
    assert invoke(app, "import-catalogue", good).exit_code == 0
    assert caps() == {"XA01": 1500, "XB02": None, "NX01": 0}
    old = write(tmp_path, "old.csv", "code,name,eligible\nXA01,阿莫西林胶囊,true\n")   # older file: cap unchanged
    assert invoke(app, "import-catalogue", old).exit_code == 0
    assert caps()["XA01"] == 1500
    cleared = write(tmp_path, "clear.csv", header + "XA01,阿莫西林胶囊,true,\n")
    assert invoke(app, "import-catalogue", cleared).exit_code == 0
    assert caps()["XA01"] is None


def test_bad_caps_are_bad_lines_and_nothing_imports(app, tmp_path):
    bad = write(tmp_path, "c.csv", "code,name,eligible,price_cap_fen\n"
                "XA01,阿莫西林,true,-1\nXB02,布洛芬,true,12.5\nZY03,藏药,true,abc\nJC04,检查,true,300\n")
    result = invoke(app, "import-catalogue", bad)
    assert result.exit_code == 1
    for line in (2, 3, 4):
        assert f"line {line}: price_cap_fen must be a whole number of fen" in result.output
    assert "line 5" not in result.output
    assert db.session.scalar(select(CatalogueItem.code)) is None
