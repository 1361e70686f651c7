"""3201: the institution's totals over a range of China dates against ours (settled in it, or with the refund flag
the reversals made in it, as positive amounts); clr_type and insutype are echoed, not filters."""
from datetime import date

from services.money import reconciliation

from . import fields
from .envelope import two

NAMES = {"total_fen": "medfee_sumamt", "fund_fen": "fund_pay_sumamt", "account_fen": "acct_pay",
         "count": "fixmedins_setl_cnt"}


def _day(data: dict, name: str) -> date:
    value = fields.text(data, name, "input.data", longest=10)
    try:
        return date.fromisoformat(value) if len(value) == 10 else fields.bad(f"input.data.{name}", "yyyy-MM-dd")
    except ValueError:
        fields.bad(f"input.data.{name}", "must be a date, yyyy-MM-dd")


def check(call) -> dict:
    data = fields.node(call.input, "data", "input")
    first, last = _day(data, "stmt_begndate"), _day(data, "stmt_enddate")
    if last < first or (last - first).days > 366:
        fields.bad("input.data.stmt_enddate", "must be on or after stmt_begndate, within a year")
    theirs = {"total_fen": fields.fen(data, "medfee_sumamt", "input.data"),
              "fund_fen": fields.fen(data, "fund_pay_sumamt", "input.data"),
              "account_fen": fields.fen(data, "acct_pay", "input.data"),
              "count": fields.whole(data, "fixmedins_setl_cnt", "input.data", 0, 10 ** 9)}
    refunds = "1" in (data.get("refd_setl_flag"), data.get("fixmedins_refd_setl_flag"))
    differs = reconciliation.check_range(call.institution_id, first, last, refunds, theirs)
    shown = {k: (str(v["ours"]), str(v["yours"])) if k == "count" else (two(v["ours"]), two(v["yours"]))
             for k, v in differs.items()}
    return {"stmtinfo": {
        "setl_optins": fields.text(data, "setl_optins", "input.data", required=False, longest=6) or "",
        "stmt_rslt": "1" if differs else "0",
        "stmt_rslt_dscr": "; ".join(f"{NAMES[k]}: ours {o}, yours {y}" for k, (o, y) in shown.items())}}
