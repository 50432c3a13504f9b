"""The first-run hint: after "Open the bundled example", one dismissible line says how to code.

A newcomer who opens the example sees text and a codebook, but not that coding is "select, then press
the code's key". The hint is shown above the text until closed; closing it is remembered in the settings,
so it never comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.gui.coding.navigation import OfferBar

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

HINT = "To code: select a passage, then press the code's key (beside each code on the right). Ctrl+/ lists all keys."
SETTING = "hints/how_to_code"


def make_bar(w: MainWindow) -> OfferBar:
    bar = OfferBar("hintBar", ("#eef3fb", "#b8c8e6"))
    bar.closed.connect(lambda: w.settings.setValue(SETTING, "dismissed"))
    return bar


def after_example(w: MainWindow) -> None:
    """Show the hint unless the coder closed it before."""
    if str(w.settings.value(SETTING, "")) != "dismissed":
        w.hint_bar.offer(HINT)
