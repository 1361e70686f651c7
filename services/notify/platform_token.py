"""The platform's access token (cgi-bin/token), kept in the database: every sender on every host uses one token
until it expires, and a token WeChat calls expired is renewed once, by whichever sender sees it first."""
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import providers, settings
from ..clock import now
from ..db import db, dialect, writes
from ..errors import Unavailable
from ..models import PlatformToken

EARLY = timedelta(seconds=60)   # renewed a minute before WeChat says it ends


def current(stale: str | None = None) -> tuple[str, datetime]:
    """(token, until): the shared token while it is valid and is not `stale` (the one WeChat just refused)."""
    row = db.session.execute(select(PlatformToken.token, PlatformToken.expires_at)
                             .where(PlatformToken.appid == settings.get("WECHAT_APPID"))).first()
    db.session.rollback()  # a read of its own: the sender holds no transaction between messages
    if row and _usable(row.token, row.expires_at, stale):
        return row.token, row.expires_at
    return _renew(stale)


def _usable(token, expires_at, stale) -> bool:
    return bool(token) and token != stale and expires_at is not None and expires_at > now()


@writes
def _renew(stale):
    """Under the row's lock, so senders that all saw the token expire ask WeChat once: the first renews, the
    others find its new token."""
    appid, table = settings.get("WECHAT_APPID"), PlatformToken.__table__
    db.session.execute(dialect(db.engine.dialect.name).insert(table).values(appid=appid)
                       .on_conflict_do_nothing(index_elements=[table.c.appid]))
    row = db.session.execute(select(PlatformToken).where(PlatformToken.appid == appid).with_for_update()).scalar_one()
    if _usable(row.token, row.expires_at, stale):
        return row.token, row.expires_at
    answer = providers._call("/cgi-bin/token", {"grant_type": "client_credential", "appid": appid,
                                                "secret": settings.get("WECHAT_SECRET")})
    token = answer.get("access_token")
    if answer.get("errcode") or not isinstance(token, str) or not token:
        raise Unavailable()
    row.token, row.expires_at = token, now() + timedelta(seconds=int(answer.get("expires_in") or 0)) - EARLY
    return row.token, row.expires_at
