"""SQLAlchemy models, one module per noun; money columns are integer fen."""
from .people import Account, Kinship, Login, Person, RefreshToken  # noqa: F401
from .reference import CatalogueItem, Institution, PremiumSchedule  # noqa: F401
from .ledger import LedgerEntry  # noqa: F401
from .family import Binding, Invitation, InvitationAttempt, Message  # noqa: F401
from .checkout import CounterNonce, Settlement, SettlementAid, Ticket, Voucher  # noqa: F401
from .premiums import Premium  # noqa: F401
from .proxies import Proxy  # noqa: F401
from .trust import UsedFaceCheck  # noqa: F401
from .notifications import Outbox, PlatformToken, Subscription  # noqa: F401
from .nhsa import NhsaFee, NhsaMessage, NhsaVisit  # noqa: F401
