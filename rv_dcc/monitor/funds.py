"""What an account can spend and what rendering costs it, from its profile (``queryUserProfile``).

The submit view shows this before a render starts, the CLI prints it: the balance in the
account's currency (zone 1 is China: ``rmbbalance`` in ¥; else ``usdbalance`` in $), the
vouchers (``coupon``), the credit line, and the price basis ``cpuPrice`` / ``gpuPrice`` — the
price of one machine-hour on a CPU / GPU configuration (the embedded farm bills
``price × render seconds / 3600`` per frame, rv_dcc/farm/scheduler.py). Pure standard library.
"""
from dataclasses import dataclass
from typing import Any, Mapping, Optional


def _get(profile: Any, *names: str) -> Any:
    for name in names:
        value = profile.get(name) if isinstance(profile, Mapping) else getattr(profile, name, None)
        if value is not None:
            return value
    return None


def _amount(value: Any) -> Optional[float]:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None  # NaN / inf: unknown


@dataclass(frozen=True)
class Funds:
    """An account's money as the submit view and the CLI show it (None: the farm did not say)."""

    symbol: str
    code: str
    balance: Optional[float]
    coupon: Optional[float]
    credit: Optional[float]
    cpu_price: Optional[float]
    gpu_price: Optional[float]

    @property
    def available(self) -> Optional[float]:
        """Balance plus vouchers: what renders can be paid with now."""
        if self.balance is None and self.coupon is None:
            return None
        return round((self.balance or 0.0) + (self.coupon or 0.0), 4)

    def per_frame(self, minutes: float, gpu: bool = False) -> Optional[float]:
        """What one frame of ``minutes`` render time costs on one machine at the account's price."""
        price = self.gpu_price if gpu else self.cpu_price
        return None if price is None else round(price * minutes / 60.0, 4)


def funds_of(profile: Any) -> Funds:
    """The :class:`Funds` of a ``queryUserProfile`` reply (a dict or the typed UserProfile)."""
    zone = _get(profile, "zone")
    try:
        china = int(zone) == 1
    except (TypeError, ValueError):
        china = False
    symbol, code = ("\u00a5", "CNY") if china else ("$", "USD")
    balance = _amount(_get(profile, "rmbbalance") if china else _get(profile, "usdbalance"))
    return Funds(symbol, code, balance, _amount(_get(profile, "coupon")), _amount(_get(profile, "credit")),
                 _amount(_get(profile, "cpuPrice", "cpu_price")), _amount(_get(profile, "gpuPrice", "gpu_price")))


def money_text(value: Optional[float], symbol: str = "$") -> str:
    """``$12.50``; ``-`` when unknown (the CLI's form: two decimals, the symbol first)."""
    return "-" if value is None else f"{'-' if value < 0 else ''}{symbol}{abs(value):,.2f}"
