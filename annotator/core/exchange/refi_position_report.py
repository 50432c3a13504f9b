"""What the import tells the user about selection positions: the reading chosen, and how sure it is.

No REFI-QDA file says which unit its positions count, so the reader tries every reading
(`refi_positions.READINGS`). This report puts the outcome in words: which reading was chosen and
why (declared by an annotator export, or detected), how many selections fit it, how the others
fared, and whether the file is ambiguous. Ambiguity comes in two kinds:

- harmless: every reading puts every selection on the same passage (a text without emoji, or with
  them only after the last selection), so the import is exact whatever the producer counted;
- uncertain: the readings put some selections on different passages and none fits those clearly
  better; then the user should check a few passages after an emoji.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.exchange.refi_positions import READINGS, Reading, Table

DECLARED = "declared"
DETECTED = "detected"


@dataclass(frozen=True)
class OtherReading:
    """A reading that was not chosen, compared with the chosen one selection by selection."""

    reading: Reading
    fit: int  # selections that fit this reading
    elsewhere: int  # selections this reading puts on another passage (or outside the text)
    fit_elsewhere: int  # of those, how many fit this reading
    chosen_fit_elsewhere: int  # ... and how many fit the chosen reading


@dataclass(frozen=True)
class PositionReport:
    chosen: Reading
    how: str  # DECLARED (an annotator export says which unit) or DETECTED
    total: int  # selections with positions
    fit: int  # of those, how many fit the chosen reading
    others: tuple[OtherReading, ...]
    line_ends_matter: bool  # some source text has \r\n (or \r) line ends

    @property
    def harmless(self) -> bool:
        """Every reading gives the very same passages: the file is ambiguous, but nothing depends on it."""
        return all(o.elsewhere == 0 for o in self.others)

    @property
    def uncertain(self) -> bool:
        """Detected, and some reading that moves selections fits the moved ones at least as well."""
        return self.how == DETECTED and any(
            o.elsewhere and o.fit_elsewhere >= o.chosen_fit_elsewhere for o in self.others
        )

    def _name(self, reading: Reading) -> str:
        return reading.name(self.line_ends_matter)

    def headline(self) -> str:
        why = "declared by the file, an annotator export" if self.how == DECLARED else "detected"
        return (
            f"positions read as {self._name(self.chosen)} ({why}): "
            f"{self.fit} of {self.total} selections fit this reading"
        )

    def lines(self) -> list[str]:
        """The report, one sentence a line, for the CLI and the window."""
        lines = [self.headline()]
        if self.harmless:
            lines.append(
                "ambiguous but harmless: every other reading gives exactly the same passages in this file "
                f"({self._same_reason()}), so the import is exact whatever the producer counted"
            )
            return lines
        shown = self._distinct_others()
        same = [self._name(o.reading) for o in shown if not o.elsewhere]
        if same:
            lines.append(f"same passages with: {'; '.join(same)}")
        for o in shown:
            if o.elsewhere:
                lines.append(
                    f"other reading: {self._name(o.reading)}: {o.fit} of {self.total} fit; "
                    f"it would put {o.elsewhere} selection(s) on other passages"
                )
        if self.uncertain:
            worst = max((o for o in shown if o.elsewhere), key=lambda o: o.fit_elsewhere - o.chosen_fit_elsewhere)
            lines.append(
                f"uncertain: on the {worst.elsewhere} selection(s) where {self._name(worst.reading)} differs, "
                f"it fits {worst.fit_elsewhere} and the chosen reading {worst.chosen_fit_elsewhere}; "
                "check a few passages that come after an emoji against the other tool"
            )
        return lines

    def _distinct_others(self) -> list[OtherReading]:
        """The other readings by name: without \\r\\n in the texts, the line-end variants are one reading."""
        seen = {self._name(self.chosen)}
        distinct = []
        for o in self.others:
            if self._name(o.reading) not in seen:
                seen.add(self._name(o.reading))
                distinct.append(o)
        return distinct

    def _same_reason(self) -> str:
        reason = "no emoji or other character beyond U+FFFF comes before a selection's end"
        return reason + (", nor any \\r\\n line end" if self.line_ends_matter else "")


def position_report(table: Table, chosen: Reading, how: str, line_ends_matter: bool) -> PositionReport | None:
    """The report for selections already landed under every reading (None when there are none)."""
    mine = table[chosen]
    if not mine:
        return None
    others = []
    for reading in READINGS:
        if reading == chosen:
            continue
        theirs = table[reading]
        moved = [i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a.span != b.span]
        others.append(
            OtherReading(
                reading,
                fit=sum(1 for landing in theirs if landing.fits),
                elsewhere=len(moved),
                fit_elsewhere=sum(1 for i in moved if theirs[i].fits),
                chosen_fit_elsewhere=sum(1 for i in moved if mine[i].fits),
            )
        )
    return PositionReport(
        chosen=chosen,
        how=how,
        total=len(mine),
        fit=sum(1 for landing in mine if landing.fits),
        others=tuple(others),
        line_ends_matter=line_ends_matter,
    )
