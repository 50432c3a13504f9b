"""Paints coded passages: each block is formatted only from the spans that touch it.

`QSyntaxHighlighter.highlightBlock` asks the `SpanIndex` for the spans intersecting the block, sweeps their
boundaries and gives every elementary segment one format whose background multiplies the colours of all
spans covering it (so an overlap is visibly darker and tinted by both codes, never hidden by the last one
painted); where two or more spans overlap the text is also underlined (wavy beyond FULL_LAYERS). The fill
never gets darker than black text allows at WCAG AA contrast, however many layers there are (`blend`).
After a change only the blocks the changed span covers are re-highlighted (`rehighlight_range`).

Highlighting is lazy: QSyntaxHighlighter would run `highlightBlock` (Python) for every block of a newly
loaded document, most of which nobody looks at yet. Here a block is formatted only once it is *revealed*:
the view calls `reveal` for the blocks on screen after loading, scrolling, resizing and before painting.
Qt-initiated re-highlights of unrevealed blocks return at once. Formats only change colours and underline,
never metrics, so re-highlighting a block does not move others and cannot cascade.
"""

from __future__ import annotations

from bisect import insort

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextDocument

from annotator.gui.coding.span_index import SpanIndex

STRENGTH = 0.8  # how much of a code's colour one layer applies (1.0 = full colour)
INK = QColor("#000000")  # coded text is always drawn in this colour (also under a dark theme)
# WCAG AA asks 4.5:1 for body text. The floor is higher so that the selected span's light grey tint
# (document_view.SELECTION_TINT) laid over any fill still leaves at least 4.5:1.
MIN_CONTRAST = 5.5
FULL_LAYERS = 3  # layers whose colours all show in the fill; beyond this the underline turns wavy


def luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF()) + 0.0722 * linear(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _lighten_to(color: QColor, minimum: float) -> QColor:
    """`color` mixed with just enough white that INK on it reaches `minimum` contrast (hue kept)."""
    if contrast(color, INK) >= minimum:
        return color
    lo, hi = 0.0, 1.0
    r, g, b = color.redF(), color.greenF(), color.blueF()
    for _ in range(20):
        t = (lo + hi) / 2
        if contrast(QColor.fromRgbF(r + t * (1 - r), g + t * (1 - g), b + t * (1 - b)), INK) >= minimum:
            hi = t
        else:
            lo = t
    return QColor.fromRgbF(r + hi * (1 - r), g + hi * (1 - g), b + hi * (1 - b))


def blend(colors: tuple[str, ...]) -> QColor:
    """Multiply-blend light code colours: each layer darkens, and overlaps mix the hues; however many
    layers there are, the fill stays light enough for black text at MIN_CONTRAST."""
    r = g = b = 1.0
    for name in colors:
        c = QColor(name)
        r *= 1 - STRENGTH * (1 - c.redF())
        g *= 1 - STRENGTH * (1 - c.greenF())
        b *= 1 - STRENGTH * (1 - c.blueF())
    return _lighten_to(QColor.fromRgbF(r, g, b), MIN_CONTRAST)


class SpanHighlighter(QSyntaxHighlighter):
    """Highlights revealed blocks from a SpanIndex (Qt positions); the owning view replaces `index`.

    Invariants this class relies on (the owning `DocumentView` keeps them):

    - `revealed` holds block *numbers*, and a block number names the same block for the whole life of
      one loaded text: the pane is read-only and text is only ever appended at its end (progressive
      loading cuts its pieces after a '\n'), so no block is split, merged or renumbered before the end;
      `reset()` is called before the text is replaced, `forget()` before the index is.
    - Qt calls `highlightBlock` by itself (text appended, `rehighlight`, layout changes). Such a call on
      a block not in `revealed` returns at once, leaving it unformatted until it comes on screen (every
      block ever shown is revealed first: the view calls `reveal` after loading, scrolling, resizing
      and before each paint). On a revealed block it formats as usual, from the current index. Only
      `_highlight` (our own calls, `_on` True) formats a block that is not revealed yet.
    - Formats change colours and underlines only, never metrics, so formatting one block never moves
      another and cannot cascade.
    """

    def __init__(self, document: QTextDocument, index: SpanIndex) -> None:
        super().__init__(document)
        self.index = index
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}
        self._on = False  # True while we ask Qt to highlight a block
        self.revealed: set[int] = set()  # block numbers formatted from the current index
        self.blocks_highlighted = 0  # blocks re-highlighted after span changes: proves that stays local
        self.blocks_revealed = 0  # blocks formatted because they came on screen

    def _format(self, colors: tuple[str, ...]) -> QTextCharFormat:
        fmt = self._formats.get(colors)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(blend(colors))
            fmt.setForeground(INK)
            if len(colors) > 1:  # the underline tells overlaps apart where the fill cannot darken further
                fmt.setUnderlineStyle(
                    QTextCharFormat.UnderlineStyle.WaveUnderline
                    if len(colors) > FULL_LAYERS
                    else QTextCharFormat.UnderlineStyle.SingleUnderline
                )
                fmt.setUnderlineColor(QColor(40, 40, 40) if len(colors) > 2 else QColor(110, 110, 110))
            self._formats[colors] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # positions come from currentBlock()
        if not self._on and not self.revealed:
            return  # loading: nothing is on screen yet
        block = self.currentBlock()
        if not self._on and block.blockNumber() not in self.revealed:
            return
        start = block.position()
        length = block.length() - 1  # UTF-16 units without the paragraph separator
        if length <= 0 or not len(self.index):
            return
        entries = self.index.query(start, start + length)
        if not entries:
            return
        # Boundary events (position, -1 close / +1 open, colour); closes sort before opens at a position.
        events: list[tuple[int, int, str]] = []
        for e in entries:
            a, b = e.start - start, e.end - start
            events.append((a if a > 0 else 0, 1, e.color))
            events.append((b if b < length else length, -1, e.color))
        events.sort()
        active: list[str] = []  # colours of the spans covering the current segment, kept sorted
        formats = self._formats
        prev = 0
        for pos, kind, color in events:
            if pos > prev and active:
                key = tuple(active)
                self.setFormat(prev, pos - prev, formats.get(key) or self._format(key))
            prev = pos
            if kind > 0:
                insort(active, color)
            else:
                active.remove(color)

    def _highlight(self, block: QTextBlock) -> None:
        self.revealed.add(block.blockNumber())
        self._on = True
        try:
            self.rehighlightBlock(block)
        finally:
            self._on = False

    def reset(self) -> None:
        """Forget revealed blocks (call before replacing the document's text: new blocks carry no formats)."""
        self.revealed.clear()

    def forget(self) -> None:
        """Clear the formats of every revealed block (the index was replaced); reveal again afterwards."""
        doc = self.document()
        numbers, self.revealed = sorted(self.revealed), set()
        for n in numbers:
            block = doc.findBlockByNumber(n)
            if block.isValid():
                self.rehighlightBlock(block)  # not revealed any more: highlightBlock sets nothing

    def reveal(self, first: QTextBlock, last_number: int) -> int:
        """Format the blocks from `first` to block number `last_number` not formatted yet; returns how many."""
        count = 0
        block = first
        while block.isValid() and block.blockNumber() <= last_number:
            if block.blockNumber() not in self.revealed:
                self._highlight(block)
                count += 1
            block = block.next()
        self.blocks_revealed += count
        return count

    def rehighlight_range(self, q_start: int, q_end: int) -> None:
        """Re-highlight only the blocks that [q_start, q_end) touches."""
        doc = self.document()
        block = doc.findBlock(q_start)
        end_block = doc.findBlock(max(q_start, q_end - 1))
        # A span may run past the text loaded so far (progressive loading): its loaded blocks still change.
        last = end_block.blockNumber() if end_block.isValid() else doc.blockCount() - 1
        while block.isValid() and block.blockNumber() <= last:
            self._highlight(block)
            self.blocks_highlighted += 1
            block = block.next()
