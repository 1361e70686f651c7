"""The administrators' face: click commands that read files and arguments and call services."""
import csv
import json
import sys

import click
from flask_migrate import upgrade

import cli_notify
from error_texts import english
from services import masking
from services.admin import demo, registry
from services.checkout import catalogue
from services.errors import ServiceError
from services.money import audit, report, schedules
from services.people import counter_auth, identity, institutions, pii_rotation

PERSON_FIELDS = ("id_number", "name", "insurance_type", "region_code", "status", "balance_fen", "account_status")
PERSON_OPTIONAL = ("card_no", "card_status", "name_bo")
KINSHIP_FIELDS = ("id_number", "relative_id_number", "relation")
CATALOGUE_FIELDS = ("code", "name", "eligible")
CATALOGUE_OPTIONAL = ("price_cap_fen",)


def read_csv(path, fields, optional=()):
    """Rows of a UTF-8 CSV with a header, as (line number, {field: stripped text}); the header is line 1.

    An optional column is in each row only when the header has it, so older files keep their meaning."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in fields if f not in (reader.fieldnames or [])]
        if missing:
            raise click.ClickException(f"{path}: the header lacks {', '.join(missing)}")
        wanted = set(fields) | set(optional)
        return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k in wanted})
                for row in reader]


def fail(exc: ServiceError, source="", outcome=""):
    """The code's text from error_texts.py, in English as all the CLI prints; each detail; then `outcome`."""
    click.echo(f"error: {english(exc.code)}", err=True)
    for where, problems in exc.details.items():
        for problem in problems:
            click.echo(f"  {source}{where}: {problem}", err=True)
    if outcome:
        click.echo(outcome, err=True)
    sys.exit(1)


# The CLI's own words, not the error's: an import is all or nothing, and after a refusal the operator must know that
# no row of the file went in.
NOTHING_IMPORTED = "nothing was imported"


@click.command("init-db")
def init_db():
    """Bring the schema to the newest migration."""
    upgrade()
    click.echo("database is at the newest migration")


@click.command("import-registry")
@click.argument("persons", type=click.Path(exists=True, dir_okay=False))
@click.option("--kinship", type=click.Path(exists=True, dir_okay=False))
def import_registry(persons, kinship):
    """Upsert persons, accounts and kinship from CSV files (all or nothing)."""
    try:
        result = registry.import_registry(read_csv(persons, PERSON_FIELDS, PERSON_OPTIONAL),
                                          read_csv(kinship, KINSHIP_FIELDS) if kinship else [])
    except ServiceError as exc:
        fail(exc, outcome=NOTHING_IMPORTED)
    click.echo(f"imported {result['persons']} persons and {result['kinship']} kinship rows; "
               f"{result['bindings_ended']} bindings ended")


@click.command("import-catalogue")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_catalogue(path):
    """Upsert catalogue items from a CSV file (all or nothing)."""
    try:
        result = catalogue.import_items(read_csv(path, CATALOGUE_FIELDS, CATALOGUE_OPTIONAL))
    except ServiceError as exc:
        fail(exc, f"{path} ", NOTHING_IMPORTED)
    click.echo(f"imported {result['items']} catalogue items")


@click.group("premium-schedule")
def premium_schedule():
    """Premium schedules for resident insurance."""


@premium_schedule.command("add")
@click.option("--region", "region", required=True, help="region code prefix, e.g. 54 or 5425")
@click.option("--year", type=int, required=True)
@click.option("--amount-fen", type=int, required=True)
@click.option("--opens", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--closes", type=click.DateTime(["%Y-%m-%d"]), required=True)
def schedule_add(region, year, amount_fen, opens, closes):
    """Add or replace the schedule of a region prefix and year (window inclusive)."""
    try:
        row = schedules.add(region, year, amount_fen, opens.date(), closes.date())
    except ServiceError as exc:
        fail(exc)
    click.echo(f"premium schedule {row.region_prefix}/{row.year}: {row.amount_fen} fen, "
               f"{row.opens}..{row.closes}")


@click.group("institution")
def institution():
    """Designated institutions."""


@institution.command("create")
@click.option("--name", required=True)
@click.option("--region", required=True, help="6-digit region code")
@click.option("--remote-aid", is_flag=True, help="remote mutual aid (异地共济) enabled")
def institution_create(name, region, remote_aid):
    """Create an institution; prints its id and secret (shown only this once)."""
    try:
        click.echo(json.dumps(institutions.create(name, region, remote_aid)))
    except ServiceError as exc:
        fail(exc)


@institution.command("rotate-secret")
@click.argument("institution_id")
@click.option("--grace-minutes", type=click.IntRange(0, 7 * 24 * 60), default=0,
              help="how long the old secret keeps working")
def institution_rotate(institution_id, grace_minutes):
    """Issue a new secret for an institution; prints it once."""
    try:
        click.echo(json.dumps(institutions.rotate_secret(institution_id, grace_minutes)))
    except ServiceError as exc:
        fail(exc)


@click.group("identity")
def identity_group():
    """Links between logins and insured persons."""


@identity_group.command("unlink")
@click.argument("id_number")
def identity_unlink(id_number):
    """Unlink the person with this ID number from his login and revoke that login's refresh tokens."""
    try:
        done = identity.unlink(id_number)
    except ServiceError as exc:
        fail(exc)
    # masked as everywhere a person is shown: a terminal's output ends up in logs and screenshots
    click.echo(f"unlinked {masking.name(done['person'])} ({id_number}) from login {done['login']}; "
               f"{done['revoked']} refresh tokens revoked")


@click.command("audit")
def audit_cmd():
    """Check every ledger invariant; exit 1 naming each failure."""
    failures = audit.run()
    for failure in failures:
        click.echo(f"FAIL {failure}")
    if failures:
        sys.exit(1)
    click.echo("audit: every ledger invariant holds")


@click.command("report")
@click.option("--month", required=True, help="YYYY-MM, a China-time month")
@click.option("--region", help="only institutions whose region code starts with this, e.g. 5425")
def report_cmd(month, region):
    """The fund's monthly report: CSV to standard output, one row per institution."""
    try:
        rows = report.monthly(month, region)
    except ServiceError as exc:
        fail(exc)
    out = csv.DictWriter(sys.stdout, report.COLUMNS, lineterminator="\n")
    out.writeheader()
    out.writerows(rows)


@click.group("pii")
def pii():
    """Personal data sealed at rest."""


@pii.command("rotate")
def pii_rotate():
    """Re-seal every ID number under the first PII_KEYS key and re-index it under PII_INDEX_KEY."""
    for field, changed in pii_rotation.rotate().items():
        click.echo(f"{field}: {changed} rows re-sealed")


@click.command("purge-nonces")
def purge_nonces():
    """Forget counter nonces older than their 10-minute memory (schedule it, e.g. every 10 minutes)."""
    click.echo(f"{counter_auth.purge_nonces()} nonces forgotten")


@click.command("seed-demo")
def seed_demo():
    """Load the demo family, institutions, catalogue and premium schedules (idempotent)."""
    from flask import current_app

    if current_app.config["GONGJI_ENV"] != "development":
        raise click.ClickException("seed-demo runs only with GONGJI_ENV=development")
    upgrade()
    demo.seed()
    click.echo(demo_text(current_app.config["PUBLIC_BASE_URL"]))


def demo_text(base):
    lines = ["Demo data loaded. Citizens log in with the code dev:<login> (already verified):", ""]
    for openid, name, _, kind, region, balance, role in demo.FAMILY:
        money = f"¥{balance / 100:,.2f} {demo.ACCOUNT_STATUS.get(openid, '')}" if balance is not None \
            else "no account"
        card_no, card_status = demo.CARDS[openid]
        lines.append(f"  dev:{openid:<9} {name:<6} {demo.id_number(openid)}  {kind:<8} {region}  {money:<14} "
                     f"card {card_no}{' (lost)' if card_status == 'lost' else '':<7} {role}")
    lines += ["", "Family proxy (亲情账户): the carer shows the relative's e-voucher (医保电子凭证 → 为谁出示):", ""]
    for carer, relative, relation in demo.PROXIES:
        lines.append(f"  dev:{carer:<9} shows the voucher of dev:{relative} (his {relation}; approved)")
    lines += ["", "Institutions (counter terminals sign requests with these secrets):", ""]
    for inst_id, name, region, remote in demo.INSTITUTIONS:
        lines.append(f"  {inst_id:<17} secret {demo.institution_secret(inst_id):<29} {region} "
                     f"{'remote aid on ' if remote else ''}{name}")
    capped = [f"{code} (at most {cap[0]} fen a unit from accounts)" for code, _, _, *cap in demo.CATALOGUE if cap]
    lines += ["", "Counters scan the e-voucher or read the card ({\"card_no\": ...}). Catalogue payment standard: "
              + ", ".join(capped) + "."]
    lines += ["", f"Mini-program: {base}/   Counter console: {base}/counter   API documentation: {base}/api/v1/docs",
              f"Try: curl -s -X POST {base}/api/v1/auth/login -H 'Content-Type: application/json' "
              "-d '{\"code\": \"dev:tashi\"}'"]
    return "\n".join(lines)


def register(app):
    for command in (init_db, import_registry, import_catalogue, premium_schedule, institution, identity_group,
                    audit_cmd, report_cmd, seed_demo, pii, purge_nonces, cli_notify.notify):
        app.cli.add_command(command)
