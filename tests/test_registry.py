"""Registry and catalogue imports (all or nothing, bad lines named), premium schedules, institutions, audit."""
from sqlalchemy import func, select, text

from services import idnumber
from services.admin import demo
from services.db import db
from services.models import Account, CatalogueItem, Kinship, LedgerEntry, Person, PremiumSchedule, Proxy

HEADER = "id_number,name,insurance_type,region_code,status,balance_fen,account_status\n"
A = idnumber.make("54252319800101901")
B = idnumber.make("54252319850505902")
C = idnumber.make("54252320100101903")


def write(tmp_path, name, text_):
    path = tmp_path / name
    path.write_text(text_, encoding="utf-8")
    return str(path)


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def counts():
    return (db.session.scalar(select(func.count()).select_from(Person)),
            db.session.scalar(select(func.count()).select_from(LedgerEntry)),
            db.session.scalar(select(func.count()).select_from(Kinship)))


def test_import_persons_accounts_and_kinship(app, tmp_path):
    persons = write(tmp_path, "p.csv", HEADER + f"{A},扎西,employee,542523,insured,12345,normal\n"
                                              f"{B},卓玛,employee,542523,insured,0,frozen\n"
                                              f"{C},格桑,resident,542523,insured,,\n")
    kinship = write(tmp_path, "k.csv", f"id_number,relative_id_number,relation\n{A},{C},child\n{A},{B},spouse\n")
    result = invoke(app, "import-registry", persons, "--kinship", kinship)
    assert result.exit_code == 0, result.output
    a = db.session.scalar(select(Person).where(Person.id_number == A))
    assert a.account.balance_fen == 12345 and a.account.status == "normal"
    c = db.session.scalar(select(Person).where(Person.id_number == C))
    assert c.account is None
    rel = dict(db.session.execute(select(Kinship.relative_id, Kinship.relation).where(Kinship.person_id == c.id)).all())
    assert rel == {a.id: "parent"}  # the reverse of child is implied
    entry = db.session.scalar(select(LedgerEntry).where(LedgerEntry.account_id == a.account.id))
    assert (entry.kind, entry.amount_fen, entry.balance_after_fen) == ("registry", 12345, 12345)
    assert invoke(app, "audit").exit_code == 0


def test_bad_file_imports_nothing_and_names_each_bad_line(app, tmp_path):
    persons = write(tmp_path, "p.csv", HEADER
                    + f"{A},扎西,employee,542523,insured,12345,normal\n"          # line 2: fine
                    + f"{A[:-1]}0,坏,employee,542523,insured,1,normal\n"         # line 3: checksum
                    + f"{B},卓玛,resident,542523,insured,500,normal\n"           # line 4: resident with account
                    + f"{C},格桑,farmer,54252,insured,,\n"                       # line 5: type and region
                    + f"{A},扎西,employee,542523,insured,1,normal\n")            # line 6: repeats line 2
    result = invoke(app, "import-registry", persons)
    assert result.exit_code == 1
    out = result.output
    assert "persons line 3: id_number has a wrong check character" in out
    assert "persons line 4: a resident has no personal account" in out
    assert "persons line 5: insurance_type must be employee or resident" in out
    assert "persons line 5: region_code must be 6 digits" in out
    assert "persons line 6: id_number repeats line 2" in out
    assert "line 2" not in out.replace("repeats line 2", "")
    assert counts() == (0, 0, 0)


def test_bad_kinship_row_rejects_the_persons_file_too(app, tmp_path):
    persons = write(tmp_path, "p.csv", HEADER + f"{A},扎西,employee,542523,insured,100,normal\n")
    kinship = write(tmp_path, "k.csv", f"id_number,relative_id_number,relation\n{A},{B},cousin\n")
    result = invoke(app, "import-registry", persons, "--kinship", kinship)
    assert result.exit_code == 1
    assert "kinship line 2: relative_id_number names no person in the registry" in result.output
    assert "kinship line 2: relation must be one of" in result.output
    assert counts() == (0, 0, 0)


def test_later_import_books_the_difference_from_the_last_stated_balance(app, tmp_path):
    invoke(app, "import-registry", write(tmp_path, "1.csv", HEADER + f"{A},扎西,employee,542523,insured,10000,normal\n"))
    account = db.session.scalar(select(Account))
    # money spent between imports (a settlement would do this; here a direct ledger booking)
    from services.money import ledger
    ledger.book(account.id, -3000, "settlement")
    db.session.commit()
    result = invoke(app, "import-registry",
                    write(tmp_path, "2.csv", HEADER + f"{A},扎西,employee,542523,insured,12000,normal\n"))
    assert result.exit_code == 0, result.output
    assert db.session.get(Account, account.id).balance_fen == 10000 - 3000 + 2000
    amounts = db.session.scalars(select(LedgerEntry.amount_fen).order_by(LedgerEntry.id)).all()
    assert amounts == [10000, -3000, 2000]
    assert invoke(app, "audit").exit_code == 0


def test_a_fall_larger_than_the_account_holds_is_a_bad_row(app, tmp_path):
    invoke(app, "import-registry", write(tmp_path, "1.csv", HEADER + f"{A},扎西,employee,542523,insured,10000,normal\n"))
    from services.money import ledger
    account = db.session.scalar(select(Account))
    ledger.book(account.id, -9000, "settlement")
    db.session.commit()
    result = invoke(app, "import-registry",
                    write(tmp_path, "2.csv", HEADER + f"{A},扎西,employee,542523,insured,5000,normal\n"))
    assert result.exit_code == 1
    assert "persons line 2: balance_fen falls by 5000 fen but the account holds only 1000" in result.output
    assert db.session.get(Account, account.id).balance_fen == 1000


def test_audit_fails_naming_a_corrupted_account(app, tmp_path):
    invoke(app, "import-registry", write(tmp_path, "1.csv", HEADER + f"{A},扎西,employee,542523,insured,10000,normal\n"))
    assert invoke(app, "audit").exit_code == 0
    account = db.session.scalar(select(Account))
    db.session.execute(text("UPDATE accounts SET balance_fen = balance_fen + 1 WHERE id = :id"), {"id": account.id})
    db.session.commit()
    result = invoke(app, "audit")
    assert result.exit_code == 1
    assert f"account {account.id}: balance 10001 fen but its ledger entries sum to 10000 fen" in result.output


def test_catalogue_import(app, tmp_path):
    good = write(tmp_path, "c.csv", "code,name,eligible\nXA01,阿莫西林,true\nNX01,保健品,false\n")
    assert invoke(app, "import-catalogue", good).exit_code == 0
    assert dict(db.session.execute(select(CatalogueItem.code, CatalogueItem.eligible)).all()) == {"XA01": True,
                                                                                            "NX01": False}
    bad = write(tmp_path, "d.csv", "code,name,eligible\nXA02,新药,yes\n,无码,true\n")
    result = invoke(app, "import-catalogue", bad)
    assert result.exit_code == 1
    assert "line 2: eligible must be true or false" in result.output
    assert "line 3: code must be 1 to 64 characters" in result.output
    assert db.session.scalar(select(func.count()).select_from(CatalogueItem)) == 2


def test_a_refused_command_prints_the_catalogues_text_for_its_code_then_the_details(app, tmp_path):
    """The error line is error_texts.py's text of the code (invalid_request, not_found), in English as all the CLI
    prints (the server's default language is Chinese); then the details, naming the line and the field."""
    bad = invoke(app, "import-registry", write(tmp_path, "p.csv", HEADER + f"{A},扎西,employee,54252,insured,1,normal\n"))
    assert bad.exit_code == 1
    assert bad.output.splitlines() == ["error: The request is not valid; check the fields and try again.",
                                       "  persons line 2: region_code must be 6 digits",
                                       "nothing was imported"]
    unknown = invoke(app, "institution", "rotate-secret", "ins_nobody")
    assert unknown.exit_code == 1
    assert unknown.output.splitlines() == ["error: Not found.", "  institution_id: no institution has this id"]


def test_premium_schedule_add_replace_and_validate(app):
    args = ["premium-schedule", "add", "--region", "5425", "--year", "2027", "--amount-fen", "38000",
            "--opens", "2026-09-01", "--closes", "2026-12-31"]
    assert invoke(app, *args).exit_code == 0
    args[args.index("38000")] = "39000"
    assert invoke(app, *args).exit_code == 0
    rows = db.session.execute(select(PremiumSchedule.region_prefix, PremiumSchedule.amount_fen)).all()
    assert rows == [("5425", 39000)]
    bad = invoke(app, "premium-schedule", "add", "--region", "54x", "--year", "2027", "--amount-fen", "0",
                 "--opens", "2026-12-31", "--closes", "2026-09-01")
    assert bad.exit_code == 1
    for text_ in ("region: must be 1 to 6 digits", "amount_fen: must be a whole number", "closes: must not be"):
        assert text_ in bad.output


def test_institution_create_prints_the_secret_once_and_stores_it_encrypted(app):
    import json
    result = invoke(app, "institution", "create", "--name", "阿里药房", "--region", "542523", "--remote-aid")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["id"].startswith("ins_") and len(shown["secret"]) >= 32
    stored = db.session.execute(text("SELECT secret_enc FROM institutions")).scalar()
    assert shown["secret"].encode() not in bytes(stored)


def test_seed_demo_is_idempotent(app):
    first = invoke(app, "seed-demo")
    assert first.exit_code == 0, first.output
    before = counts()
    second = invoke(app, "seed-demo")
    assert second.exit_code == 0 and counts() == before
    assert "dev:tashi" in second.output and "demo-secret-ali-hospital" in second.output
    assert "dev:tashi     shows the voucher of dev:father" in second.output
    assert db.session.scalar(select(func.count()).select_from(Proxy)) == 1  # the father's proxy, made once
    tashi = db.session.scalar(select(Person).where(Person.id_number == demo.id_number("tashi")))
    assert tashi.account.balance_fen == 500000
    assert invoke(app, "audit").exit_code == 0
