"""Hand-checked sentence segmentation: tricky English, Russian and German paragraphs.

Each entry is a list of sentences; the paragraph is the sentences joined by one space (or, where
marked, by a line break inside the paragraph, as hard-wrapped text has). Used by
tests/core/test_segment.py and by bench/compare_segmenters.py (the comparison of candidates).
"""

from __future__ import annotations

WRAP = "\n"  # a line break inside a paragraph (hard-wrapped text): not a boundary

ENGLISH: list[list[str]] = [
    ["Mr. Smith met Dr. Jones at 9 a.m. on Monday.", "They talked about the U.S. position."],
    ["The report (see Fig. 3) lists e.g. smuggling, i.e. the crossing of goods.", "It was published in 2023."],
    ["The economy was growing. the council met in the evening.", "Nothing was decided."],
    ["Gen. Petrov and Col. Ivanov arrived from St. Petersburg.", "They spoke to No. 10 staff."],
    ["J. R. Smith wrote the memo.", "Was it read?", "Nobody knows!"],
    ["Drugs, weapons, people, etc. are smuggled across the border.", "The council agreed."],
    ["He said: \u201cThe threat is real.\u201d", "Then he left."],
    ["Terrorism remains a threat\u2026", "So does extremism."],
    [
        "The meeting was held on 8 November 2023 in"
        + WRAP
        + "Moscow, and the secretaries of"
        + WRAP
        + "the councils attended."
    ],
    ["See Art. 5 of the charter.", "It applies to all members."],
    ["Smuggling, fraud etc.", "These were the main crimes."],
]

RUSSIAN: list[list[str]] = [
    ["В. В. Путин выступил на заседании.", "Он говорил о терроризме."],
    ["Встреча прошла в 2014 г. в Москве.", "В ней участвовали секретари советов."],
    ["Угрозы, т.е. терроризм и экстремизм, остаются.", "Об этом сказал Н. Патрушев."],
    ["Наркотики, оружие, мигранты и т. д.", "Все это угрозы безопасности."],
    ["Совещание состоится 8 ноября в Минске.", "Повестка дня утверждена."],
    ["См. ст. 12 Устава СНГ.", "Она касается всех государств."],
    ["Ущерб составил 5 млн. руб. и 300 тыс. долларов.", "Дело передано в суд."],
    ["«Угроза реальна», — сказал он.", "Затем он ушел."],
    ["Проф. Иванов, акад. Петров и др.", "Они подписали письмо."],
    ["Экономика росла. совет собрался вечером.", "Решений не было."],
    ["Это случилось в 1991 г.", "Тогда распался СССР."],
    ["В 2014 г. Путин провел встречу с руководителями спецслужб.", "Она была закрытой."],
]

GERMAN: list[list[str]] = [
    ["Dr. Müller traf Prof. Schmidt am 8. November in Berlin.", "Sie sprachen über Terrorismus."],
    ["Bedrohungen, z. B. Drogenhandel und Schmuggel, nehmen zu.", "Das sagte der Minister."],
    ["Gemäß Art. 5 der Satzung gilt das für alle.", "Die Staaten stimmten zu."],
    ["Terrorismus, Extremismus usw.", "Alles wurde besprochen."],
    ["Die Konferenz, d.h. die Sitzung der Sekretäre, begann um 10 Uhr.", "Sie dauerte bis abends."],
    ["Hr. Meier bzw. Fr. Schulz vertreten die Behörde.", "Beide waren anwesend."],
    ["Der Schaden betrug ca. 5 Mio. Euro.", "Niemand wurde verletzt."],
    ["Vgl. hierzu Nr. 7 des Berichts.", "Er erschien im Mai."],
    ["Am 1. Januar trat das Abkommen in Kraft.", "Es gilt fünf Jahre."],
    ["Die Lage ist ernst.", "„Wir müssen handeln“, sagte er.", "Dann ging er."],
]


def paragraph(sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph text and the gold (start, end) of each sentence."""
    text = ""
    spans: list[tuple[int, int]] = []
    for s in sentences:
        if text:
            text += " "
        spans.append((len(text), len(text) + len(s)))
        text += s
    return text, spans


def all_cases() -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(language, paragraph text, gold spans) for every case."""
    out = []
    for lang, cases in (("en", ENGLISH), ("ru", RUSSIAN), ("de", GERMAN)):
        for sentences in cases:
            text, spans = paragraph(sentences)
            out.append((lang, text, spans))
    return out
