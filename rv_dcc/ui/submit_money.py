"""The submit view's Cost card: what the account has, what rendering costs, and a budget.

Before the full render is paid for, the artist sees the account's balance and vouchers and the
price basis of the profile (``cpuPrice`` / ``gpuPrice`` per machine-hour, read by
:func:`rv_dcc.monitor.funds.funds_of` from ``queryUserProfile``), advice to render test frames
first (with a button that sets "first frame, then pause"), and an optional budget
(``SubmitOptions.budget``: the watchers stop the task past it, rv_dcc.monitor.budget).
"""
from typing import Any, Callable, Optional

from qtpy import QtWidgets

from rv_dcc.ui.columns import AMBER
from rv_dcc.ui.i18n import tr
from rv_dcc.ui.submit_parts import section
from rv_dcc.ui.widgets import button, label

#: the most a budget field accepts (in the account's currency)
MAX_BUDGET = 1_000_000.0


def _money(value: Optional[float], symbol: str) -> str:
    return "—" if value is None else f"{symbol}{value:,.2f}"


class MoneyCard(QtWidgets.QFrame):
    """Balance, price basis, test-frame advice and the budget field (a card of the submit view).

    ``on_budget(amount or None)`` and ``on_use_tests()`` are called when the artist changes the
    budget or asks for test frames; the view writes them into the options.
    """

    def __init__(self, parent: QtWidgets.QWidget, on_budget: Callable[[Optional[float]], None],
                 on_use_tests: Callable[[], None]) -> None:
        super().__init__(parent)
        self._on_budget, self._on_use_tests = on_budget, on_use_tests
        self._loading = False
        self.card, form = section(tr("submit.section.money"), self)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.card)
        self.balance = label(tr("money.unknown"), "", self.card)
        self.price = label(tr("money.unknown"), "hint", self.card)
        self.price.setWordWrap(True)
        self.budget = QtWidgets.QDoubleSpinBox(self.card)
        self.budget.setRange(0.0, MAX_BUDGET)
        self.budget.setDecimals(2)
        self.budget.setSingleStep(5.0)
        self.budget.setSpecialValueText(tr("money.no_budget"))  # shown at 0: no budget
        self.budget.setToolTip(tr("money.budget_hint"))
        self.budget_hint = label(tr("money.budget_hint"), "hint", self.card)
        self.budget_hint.setWordWrap(True)
        self.advice = label("", "hint", self.card)
        self.advice.setWordWrap(True)
        self.use_tests = button(tr("money.use_tests"), "fix", self._use_tests, self.card)
        button_row = QtWidgets.QHBoxLayout()
        button_row.setContentsMargins(0, 0, 0, 0)
        button_row.addWidget(self.use_tests)
        button_row.addStretch(1)
        form.addRow(tr("money.balance"), self.balance)
        form.addRow(tr("money.price"), self.price)
        form.addRow(tr("money.budget"), self.budget)
        form.addRow("", self.budget_hint)
        form.addRow(self.advice)  # the advice and its button span the card: room for the sentence
        form.addRow(button_row)
        self.budget.valueChanged.connect(self._budget_changed)

    def _budget_changed(self, value: float) -> None:
        if not self._loading:
            self._on_budget(round(value, 2) if value > 0 else None)

    def _use_tests(self, *_args: Any) -> None:
        self._on_use_tests()

    def set_state(self, options: Any, funds: Any) -> None:
        """Show the account's ``funds`` (rv_dcc.monitor.funds.Funds, None until known) and the
        advice and budget of ``options``."""
        symbol = funds.symbol if funds is not None else ""
        if funds is None:
            self.balance.setText(tr("money.unknown"))
            self.price.setText(tr("money.unknown"))
        else:
            self.balance.setText(tr("money.balance_line", balance=_money(funds.balance, symbol),
                                    coupon=_money(funds.coupon, symbol)))
            self.price.setText(tr("money.price_line", cpu=_money(funds.cpu_price, symbol),
                                  gpu=_money(funds.gpu_price, symbol)))
        self._loading = True
        try:
            self.budget.setPrefix(f"{symbol} " if symbol else "")
            wanted = float(options.budget or 0.0)
            if abs(self.budget.value() - wanted) > 0.005:
                self.budget.setValue(wanted)
        finally:
            self._loading = False
        tests = options.test_frames.any
        if not tests:
            self.advice.setText(f"<span style='color:{AMBER}'>●</span> {tr('money.advice_none')}")
        elif not options.stop_after_test:
            self.advice.setText(tr("money.advice_no_pause"))
        else:
            self.advice.setText(tr("money.advice_ok"))
        self.use_tests.setVisible(not (tests and options.stop_after_test))
