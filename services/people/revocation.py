"""Everything a person can spend dies with the right to spend it (API.md v1.2 "Trust, round two").

Each function revokes, in the caller's transaction, the unspent vouchers and offline codes issued under one right:
a proxy, a login, a person's insurance. A scan of one afterwards is 422 voucher_invalid (services/checkout/vouchers.py).
A voucher already scanned is spent, not revoked: its ticket is the counter's (it lives TICKET_TTL_SECONDS)."""
from sqlalchemy import and_, or_, update

from ..clock import now
from ..db import db
from ..models import Voucher


def revoke(*where, at=None) -> int:
    """Revoke the unspent, unrevoked vouchers matching `where`; how many."""
    return db.session.execute(update(Voucher).where(*where, Voucher.used_at.is_(None), Voucher.revoked_at.is_(None))
                              .values(revoked_at=at or now()).execution_options(synchronize_session=False)).rowcount


def under_proxy(proxy_id: int) -> int:
    """A proxy ended (by either side): what the carer took through it."""
    return revoke(Voucher.proxy_id == proxy_id)


def issued_by(login_id: int, person_id: int | None) -> int:
    """A logout, a takeover, an unlink: what this login took, for its person or through a proxy — and the person's
    own vouchers that name no login (issued before logins were recorded on them)."""
    legacy = and_(Voucher.login_id.is_(None), Voucher.proxy_id.is_(None), Voucher.person_id == person_id)
    return revoke(or_(Voucher.login_id == login_id, legacy) if person_id is not None else Voucher.login_id == login_id)


def of_person(person_id: int) -> int:
    """His insurance ended: nothing issued for him may be scanned, by him or by a carer."""
    return revoke(Voucher.person_id == person_id)
