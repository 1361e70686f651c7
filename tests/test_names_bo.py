"""Names in Tibetan (API.md v1.2): the registry's name_bo, shown and masked in Tibetan under Accept-Language: bo;
verify and proxies take the name in either script."""
import json

import pytest
from sqlalchemy import select

from services import masking
from services.db import db
from services.models import Person

from . import api, factory
from .api import API, error
from .counter import Counter, items
from .counter import headers as counter_headers
from .test_registry import HEADER, invoke, write

BO = {"Accept-Language": "bo"}


@pytest.mark.parametrize("full, shown", [
    ("བཀྲ་ཤིས་ཚེ་རིང", "བཀྲ་***"), ("བཀྲ་ཤིས་ཚེ་རིང་", "བཀྲ་***"), ("སྒྲོལ་མ།", "སྒྲོལ་*"), ("ཕུན་ཚོགས", "ཕུན་*"),
    ("ཟླ", "ཟླ"), ("扎西次仁", "扎***"), ("", ""), (None, None)])
def test_a_tibetan_name_keeps_its_first_syllable(full, shown):
    assert masking.name(full) == shown


def test_me_and_every_masked_name_in_tibetan_under_bo(client, as_, family):
    api.bind(client, as_, "tashi", "father", "parent")
    api.bind(client, as_, "phuntsok", "father", "parent")
    me = client.get(f"{API}/me", headers={**as_("tashi"), **BO}).json
    assert me["person"]["name"] == "བཀྲ་ཤིས་ཚེ་རིང"
    assert client.get(f"{API}/me", headers=as_("tashi")).json["person"]["name"] == "扎西次仁"
    # the father's two sons: "བཀྲ་***" and "ཕུན་*", not "扎***" and "平*" among Tibetan words
    helpers = client.get(f"{API}/helpers", headers={**as_("father"), **BO}).json["helpers"]
    assert [h["benefactor"]["name_masked"] for h in helpers] == ["བཀྲ་***", "ཕུན་*"]
    zh = client.get(f"{API}/helpers", headers=as_("father")).json["helpers"]
    assert [h["benefactor"]["name_masked"] for h in zh] == ["扎***", "平*"]
    proxy = client.get(f"{API}/proxies?role=carer", headers={**as_("tashi"), **BO}).json["items"][0]
    assert proxy["person"]["name_masked"] == "ཚེ་***" and proxy["carer"]["name_masked"] == "བཀྲ་***"
    month = client.get(f"{API}/account/summary", headers={**as_("tashi"), **BO}).json["items"]
    assert month[0]["beneficiary"]["name_masked"] == "ཚེ་***"


def in_tibetan(ali, path, body):
    """A signed counter request whose answer is in Tibetan."""
    raw = json.dumps(body).encode()
    signed = counter_headers(ali.inst_id, ali.secret, "POST", API + path, raw)
    return ali.client.open(API + path, method="POST", data=raw, headers={**signed, **BO})


def test_the_counter_and_statements_show_the_tibetan_name_under_bo(client, as_, family):
    api.bind(client, as_, "tashi", "father", "parent")
    ali = Counter(client, "ali-pharmacy")
    payload = client.post(f"{API}/vouchers", headers=as_("father")).json["payload"]
    scan = in_tibetan(ali, "/counter/scan", {"voucher": payload})
    assert scan.json["patient"]["name_masked"] == "ཚེ་***"
    settled = in_tibetan(ali, "/counter/settlements", {"ticket": scan.json["ticket"], "order_no": "BO-1",
                                                       "items": items(("XA0101", 1, 1850))}).json
    assert [a["benefactor"]["name_masked"] for a in settled["mutual_aid"]] == ["བཀྲ་***"]
    mine = client.get(f"{API}/settlements", headers={**as_("father"), **BO}).json["items"][0]
    assert mine["mutual_aid"][0]["benefactor"]["name_masked"] == "བཀྲ་***"
    entry = client.get(f"{API}/account/entries", headers={**as_("tashi"), **BO}).json["items"][0]
    assert entry["counterparty"]["name_masked"] == "ཚེ་***"


@pytest.mark.parametrize("written", ["བཀྲ་ཤིས་ཚེ་རིང", "བཀྲ་ཤིས་ཚེ་རིང།", " བཀྲ་ཤིས་ཚེ་རིང་ ", "扎西次仁"])
def test_verify_takes_the_name_in_either_script(client, app, written):
    person = factory.person(name="扎西次仁", name_bo="བཀྲ་ཤིས་ཚེ་རིང")
    db.session.commit()
    headers = api_login(client, "tibetan-reader")
    resp = client.post(f"{API}/auth/verify", json={"id_number": person.id_number, "name": written}, headers=headers)
    assert resp.status_code == 200, resp.json
    assert resp.json["name"] == "扎西次仁"


@pytest.mark.parametrize("written", ["བཀྲ་ཤིས་", "ཚེ་རིང་བཀྲ་ཤིས", "扎西"])
def test_verify_refuses_another_name_in_either_script(client, app, written):
    person = factory.person(name="扎西次仁", name_bo="བཀྲ་ཤིས་ཚེ་རིང")
    db.session.commit()
    resp = client.post(f"{API}/auth/verify", json={"id_number": person.id_number, "name": written},
                       headers=api_login(client, "tibetan-reader"))
    assert error(resp) == (422, "identity_mismatch")


def test_a_proxy_names_the_relative_in_tibetan(client, as_, family):
    resp = client.post(f"{API}/proxies", json={"id_number": family["drolma"].id_number, "name": "སྒྲོལ་མ",
                                               "relation": "spouse"}, headers={**as_("tashi"), **BO})
    assert resp.status_code == 201, resp.json
    assert resp.json["person"]["name_masked"] == "སྒྲོལ་*"
    wrong = client.post(f"{API}/proxies", json={"id_number": family["phuntsok"].id_number, "name": "སྒྲོལ་མ",
                                                "relation": "sibling"}, headers=as_("tashi"))
    assert error(wrong) == (422, "identity_mismatch")


def test_the_persons_file_carries_name_bo_last(app, tmp_path):
    number = factory.id_number()
    full = HEADER.strip() + ",card_no,card_status,name_bo\n"
    ok = write(tmp_path, "p.csv", full + f"{number},扎西次仁,resident,542523,insured,,,,,བཀྲ་ཤིས་ཚེ་རིང\n")
    assert invoke(app, "import-registry", ok).exit_code == 0
    person = db.session.scalar(select(Person).where(Person.id_number == number))
    assert person.name_bo == "བཀྲ་ཤིས་ཚེ་རིང"
    older = write(tmp_path, "old.csv", HEADER + f"{number},扎西次仁,resident,542523,insured,,\n")
    assert invoke(app, "import-registry", older).exit_code == 0      # a file without the column keeps it
    db.session.expire_all()
    assert db.session.get(Person, person.id).name_bo == "བཀྲ་ཤིས་ཚེ་རིང"
    bad = write(tmp_path, "bad.csv", full + f"{number},扎西次仁,resident,542523,insured,,,,,扎西\n")
    result = invoke(app, "import-registry", bad)
    assert result.exit_code != 0 and "name_bo must be the name in Tibetan script" in result.output
    db.session.expire_all()
    assert db.session.get(Person, person.id).name_bo == "བཀྲ་ཤིས་ཚེ་རིང"


def api_login(client, openid):
    return factory.bearer(client, openid)
