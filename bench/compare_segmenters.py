"""Compare sentence splitters on the corpus, the bundled examples and tests/core/segment_gold.py.

`python bench/compare_segmenters.py` (candidates that are not installed are skipped; install them
with `pip install pysbd sentencex syntok nltk` to rerun the full comparison). Gold for the corpus
and the examples: every boundary annotator's rules put, each checked by hand (see
tests/core/test_segment.py, which pins the counts). Every candidate gets the same paragraphs
(annotator.core.segment.paragraphs) with single line breaks replaced by spaces, so only the
sentence decision inside a paragraph is compared. Prints boundary errors (missed + spurious) and
the time to split the whole material 20 times.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.core.segment import paragraphs, sentences  # noqa: E402
from tests.core.segment_gold import all_cases  # noqa: E402

Splitter = Callable[[str, str], list[tuple[int, int]]]  # (paragraph text, language) -> spans


def _find_all(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        i = text.find(p, pos)
        if i < 0:
            continue
        out.append((i, i + len(p)))
        pos = i + len(p)
    return out


def candidates() -> dict[str, Splitter]:
    found: dict[str, Splitter] = {"annotator rules": lambda t, _l: sentences(t)}

    try:
        import pysbd

        seg = {lang: pysbd.Segmenter(language=lang, clean=False, char_span=True) for lang in ("en", "ru", "de")}
        found["pysbd 0.3.4"] = lambda t, lang: [(s.start, s.end) for s in seg[lang].segment(t)]
    except ImportError:
        pass
    try:
        import sentencex

        found["sentencex"] = lambda t, lang: _find_all(t, list(sentencex.segment(lang, t)))
    except ImportError:
        pass
    try:
        from syntok import segmenter

        def syn(t: str, _l: str) -> list[tuple[int, int]]:
            out = []
            for para in segmenter.analyze(t):
                for sent in para:
                    toks = list(sent)
                    out.append((toks[0].offset, toks[-1].offset + len(toks[-1].value)))
            return out

        found["syntok"] = syn
    except ImportError:
        pass
    try:
        from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

        trainer = PunktTrainer()
        trainer.INCLUDE_ALL_COLLOCS = True
        trainer.train("\n\n".join(t for _n, t in _texts()), finalize=True)
        punkt = PunktSentenceTokenizer(trainer.get_params())
        found["NLTK Punkt trained on our texts"] = lambda t, _l: list(punkt.span_tokenize(t))
    except ImportError:
        pass
    return found


def _texts() -> list[tuple[str, str]]:
    files = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt")) + sorted(
        (ROOT / "resources" / "examples").glob("*.txt")
    )
    return [(f.name, f.read_text("utf-8")) for f in files]


def material() -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(language, paragraph with line breaks as spaces, gold spans) for everything compared."""
    out = []
    for _name, text in _texts():
        gold = sentences(text)
        for a, b in paragraphs(text):
            out.append(("en", text[a:b].replace("\n", " "), [(s - a, e - a) for s, e in gold if a <= s and e <= b]))
    for lang, text, gold in all_cases():
        out.append((lang, text.replace("\n", " "), gold))
    return out


def _ends(spans: list[tuple[int, int]], text: str) -> set[int]:
    ends = set()
    for _s, e in spans:
        while e > 0 and text[e - 1].isspace():
            e -= 1
        ends.add(e)
    return ends


def main() -> None:
    data = material()
    print(f"{len(data)} paragraphs, {sum(len(g) for *_x, g in data)} gold sentences")
    for name, split in candidates().items():
        errors = {"en": 0, "ru": 0, "de": 0}
        for lang, text, gold in data:
            got = _ends(split(text, lang), text)
            errors[lang] += len(got ^ _ends(gold, text))
        t0 = time.perf_counter()
        for _ in range(20):
            for lang, text, _g in data:
                split(text, lang)
        took = time.perf_counter() - t0
        total = sum(errors.values())
        detail = ", ".join(f"{k} {v}" for k, v in errors.items())
        print(f"{name:45s} boundary errors {total:3d} ({detail}); 20 passes {took:.2f} s")


if __name__ == "__main__":
    main()
