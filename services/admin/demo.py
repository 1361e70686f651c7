"""The demo Ali family, institutions, catalogue and premium schedules that `seed-demo` loads."""
from datetime import timedelta

from sqlalchemy import select

from .. import idnumber, regions
from ..checkout import catalogue
from ..clock import china_today, now
from ..db import db, writes
from ..models import Login, Person, Proxy
from ..money import schedules
from ..people import institutions
from . import registry

# (login openid, name, birth 8 digits + sequence 3, type, region, balance fen, role)
FAMILY = [
    ("tashi", "扎西次仁", "19780315001", "employee", "542523", 500000, "benefactor (employee, healthy balance)"),
    ("drolma", "卓玛", "19810722002", "employee", "542523", 8000, "his spouse (employee, small balance)"),
    ("father", "次仁多吉", "19500101003", "resident", "542523", None,
     "his father (resident; no phone: his son shows his voucher)"),
    ("gesang", "格桑拉姆", "20100508004", "resident", "542523", None, "his daughter (resident insured)"),
    ("phuntsok", "平措", "19820911005", "employee", "540102", 300000,
     "his brother, employee insured in Lhasa (a second benefactor for their father)"),
    ("sonam", "索朗", "19900203007", "employee", "542523", 100000, "unrelated neighbour (employee)"),
    ("dawa", "达瓦", "20000612006", "employee", "542523", 20000,
     "his son, employee with a frozen account (no family aid; cannot accept an invitation)"),
]
# Each name as a Tibet ID card writes it in Tibetan script too (the persons file's name_bo).
NAMES_BO = {"tashi": "བཀྲ་ཤིས་ཚེ་རིང", "drolma": "སྒྲོལ་མ", "father": "ཚེ་རིང་རྡོ་རྗེ", "gesang": "སྐལ་བཟང་ལྷ་མོ",
            "phuntsok": "ཕུན་ཚོགས", "sonam": "བསོད་ནམས", "dawa": "ཟླ་བ"}
ACCOUNT_STATUS = {"dawa": "frozen"}  # everyone else's account (if any) is normal
# The medical-insurance card (医保卡) of each, read at the counter instead of the e-voucher; gesang's is lost.
CARDS = {"tashi": ("ALK000001", "normal"), "drolma": ("ALK000002", "normal"), "father": ("ALK000003", "normal"),
         "gesang": ("ALK000004", "lost"), "phuntsok": ("LSK000005", "normal"), "sonam": ("ALK000007", "normal"),
         "dawa": ("ALK000006", "normal")}
# (person openid, relative openid, the relative's relation to the person)
KINSHIP = [
    ("tashi", "drolma", "spouse"), ("tashi", "father", "parent"), ("tashi", "gesang", "child"),
    ("tashi", "phuntsok", "sibling"), ("phuntsok", "father", "parent"), ("drolma", "gesang", "child"),
    ("tashi", "dawa", "child"),
]
# (carer openid, relative openid, the relative's relation to the carer): proxies the relative has approved.
# The father has no phone of his own in the story: his son shows his e-voucher (亲情账户).
PROXIES = [("tashi", "father", "parent")]
INSTITUTIONS = [
    ("ali-hospital", "阿里地区人民医院", "542523", False),
    ("ali-pharmacy", "噶尔县雪域大药房", "542523", False),
    ("lhasa-pharmacy", "拉萨城关区圣城药房 (异地共济)", "540102", True),
    ("chengdu-pharmacy", "成都锦江区百姓药房", "510104", False),
]
CATALOGUE = [
    ("XA0101", "阿莫西林胶囊 0.25g×24", "true"), ("XB0202", "布洛芬缓释胶囊 0.3g×20", "true"),
    ("ZY0303", "二十五味松石丸", "true"), ("JC0404", "血常规检查", "true"),
    ("NX0901", "保健品 虫草含片", "false"), ("NX0902", "护肤霜", "false"),
    ("ZY0606", "七十味珍珠丸 (支付标准 ¥20.00/丸)", "true", "2000"),
]


def id_number(openid: str) -> str:
    _, _, born_seq, _, region, _, _ = next(f for f in FAMILY if f[0] == openid)
    return idnumber.make(region + born_seq)


def person_rows():
    return [(i + 2, {
        "id_number": id_number(o), "name": n, "insurance_type": t, "region_code": r, "status": "insured",
        "balance_fen": "" if b is None else str(b),
        "account_status": "" if b is None else ACCOUNT_STATUS.get(o, "normal"),
        "card_no": CARDS[o][0], "card_status": CARDS[o][1], "name_bo": NAMES_BO[o],
    }) for i, (o, n, _, t, r, b, _) in enumerate(FAMILY)]


def kinship_rows():
    return [(i + 2, {"id_number": id_number(a), "relative_id_number": id_number(b), "relation": rel})
            for i, (a, b, rel) in enumerate(KINSHIP)]


def catalogue_rows():
    return [(i + 2, {"code": c, "name": n, "eligible": e, "price_cap_fen": cap[0] if cap else ""})
            for i, (c, n, e, *cap) in enumerate(CATALOGUE)]


def institution_secret(inst_id: str) -> str:
    return f"demo-secret-{inst_id}"


def schedule_rows():
    """A schedule for this year and next, both with the collection window open today (China time)."""
    today = china_today()
    opens, closes = today - timedelta(days=60), today + timedelta(days=60)
    return [(prefix, year, amount, opens, closes)
            for year in (today.year, today.year + 1) for prefix, amount in ((regions.TIBET, 40000), (regions.ALI, 38000))]


def seed():
    """Load everything above through the admins' own use cases, one after another; each is idempotent."""
    registry.import_registry(person_rows(), kinship_rows())
    link_logins()
    link_proxies()
    catalogue.import_items(catalogue_rows())
    for inst_id, name, region, remote in INSTITUTIONS:
        institutions.upsert(inst_id, name, region, remote, institution_secret(inst_id))
    for row in schedule_rows():
        schedules.add(*row)


@writes
def link_logins():
    """Link each demo login (`dev:<openid>`) to its person, so a demo citizen is verified at once."""
    for openid, *_ in FAMILY:
        person_id = db.session.scalar(select(Person.id).where(Person.id_number == id_number(openid)))
        login = db.session.scalar(select(Login).where(Login.provider == "dev", Login.openid == openid))
        if login is None:
            login = Login(provider="dev", openid=openid)
            db.session.add(login)
        if login.person_id is None and not db.session.scalar(select(Login.id).where(Login.person_id == person_id)):
            login.person_id = person_id


@writes
def link_proxies():
    """The demo's approved proxies; a pair that has any proxy already (even one ended since) is left alone."""
    for carer, relative, relation in PROXIES:
        carer_id, person_id = (db.session.scalar(select(Person.id).where(Person.id_number == id_number(o)))
                               for o in (carer, relative))
        if not db.session.scalar(select(Proxy.id).where(Proxy.carer_id == carer_id, Proxy.person_id == person_id)):
            at = now()
            db.session.add(Proxy(carer_id=carer_id, person_id=person_id, relation=relation, status="active",
                                 created_at=at, approved_at=at))
