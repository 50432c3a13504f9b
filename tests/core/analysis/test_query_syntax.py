"""The retrieval query language: precedence as documented, and one error per mistake pointing at its column."""

from __future__ import annotations

import pytest

from annotator.core.analysis.codetree import CodeTree
from annotator.core.analysis.query_syntax import QueryError, parse_query, terms

TREE = CodeTree(
    {
        "threat": None,
        "threat.terrorism": "threat",
        "threat.extremism": "threat",
        "source": None,
        "source.the_west": "source",
        "угроза": None,
    }
)


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("code:threat", "code:threat"),
        ("code:threat or code:source and code:угроза", "(code:threat or (code:source and code:угроза))"),
        ("code:threat and code:source not code:угроза", "((code:threat and code:source) not code:угроза)"),
        ("code:threat not code:source and code:угроза", "((code:threat not code:source) and code:угроза)"),
        (
            "code:threat near code:source within 50 and code:угроза",
            "((code:threat near code:source within 50) and code:угроза)",
        ),
        (
            "code:threat and code:source in-sentence code:угроза",
            "(code:threat and (code:source in-sentence code:угроза))",
        ),
        ("(code:threat or code:source) and code:угроза", "((code:threat or code:source) and code:угроза)"),
        ("code:threat OR code:source Or code:угроза", "((code:threat or code:source) or code:угроза)"),
        ("  ( ( code:threat ) )  ", "code:threat"),
        (
            "code:threat NEAR code:source WITHIN 0 IN-SENTENCE code:угроза",
            "((code:threat near code:source within 0) in-sentence code:угроза)",
        ),
    ],
)
def test_precedence_and_associativity(query: str, canonical: str) -> None:
    node = parse_query(query, TREE)
    assert str(node) == canonical
    assert str(parse_query(str(node), TREE)) == canonical  # the canonical form reads back the same


def test_parent_term_expands_to_its_children() -> None:
    node = parse_query("code:threat and code:source.the_west", TREE)
    first, second = terms(node)
    assert first.keys == ("threat", "threat.terrorism", "threat.extremism")
    assert second.keys == ("source.the_west",)
    assert (first.column, second.column) == (6, 22)  # where each key begins


def _error(query: str) -> QueryError:
    with pytest.raises(QueryError) as info:
        parse_query(query, TREE)
    return info.value


@pytest.mark.parametrize(
    ("query", "column", "reason"),
    [
        ("code:threat and", 17, "expected a code after 'and'"),
        ("code:threat and or code:source", 17, "expected a code after 'and', found 'or'"),
        ("", 1, "the query is empty; write a code such as code:threat"),
        ("   ", 1, "the query is empty; write a code such as code:threat"),
        ("not code:threat", 1, "'not' needs a left side: write A not B (the A passages that overlap no B)"),
        ("threat and code:source", 1, "expected a code, found 'threat' (write code:threat)"),
        ("treat", 1, "expected a code such as code:threat, found 'treat'"),
        ("code:threat code:source", 13, "expected and, or, not, near or in-sentence before 'code:source'"),
        ("code:threat )", 13, "this ')' closes no '('"),
        ("(code:threat or code:source", 29, "expected ')' to close the '(' at column 1"),
        (
            "(code:threat or code:source code:угроза",
            29,
            "expected ')' to close the '(' at column 1, found 'code:угроза'",
        ),
        ("code:threat near code:source", 30, "expected 'within' and a number of characters after 'near code:source'"),
        ("code:threat near code:source within", 37, "expected a number of characters after 'within'"),
        ("code:threat near code:source within -5", 37, "expected a number of characters after 'within', found '-5'"),
        ("code:threat near code:source within ٣", 37, "expected a number of characters after 'within', found '٣'"),
        ("code:", 6, "expected a code key after 'code:'"),
        ("code:threat.terorism", 6, "unknown code 'threat.terorism' (did you mean 'threat.terrorism'?)"),
        ("code:threat and code:угрозы", 22, "unknown code 'угрозы' (did you mean 'угроза'?)"),
        ("code:threat and code:zzz", 22, "unknown code 'zzz'"),
        ("code:threat in-sentence", 25, "expected a code after 'in-sentence'"),
        ("code:threat and ()", 18, "expected a code after '(', found ')'"),
    ],
)
def test_errors_point_at_the_column(query: str, column: int, reason: str) -> None:
    err = _error(query)
    assert (err.column, err.reason) == (column, reason)
    lines = str(err).split("\n")
    assert lines[0] == f"query: column {column}: {reason}"
    assert lines[1] == "  " + query
    assert lines[2] == "  " + " " * (column - 1) + "^"


def test_error_caret_sits_under_the_mistake_in_cyrillic_and_emoji_queries() -> None:
    err = _error("code:угроза 🙂 code:threat")
    lines = str(err).split("\n")
    assert err.column == 13
    assert lines[1][2 + err.column - 1] == "🙂"
    assert lines[2].index("^") == 2 + err.column - 1


def test_without_a_codebook_keys_are_taken_as_written() -> None:
    node = parse_query("code:anything and code:else")
    assert [t.key for t in terms(node)] == ["anything", "else"]
    assert [t.keys for t in terms(node)] == [(), ()]


def test_too_far_is_refused() -> None:
    err = _error("code:threat near code:source within 99999999999")
    assert err.column == 37
    assert "too far" in err.reason
