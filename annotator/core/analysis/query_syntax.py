"""The retrieval query language: a small readable grammar and one precise error per mistake.

Grammar (keywords in any case; `code:` keys are exact):

    query     := or_expr
    or_expr   := and_expr ( "or" and_expr )*
    and_expr  := prox_expr ( ( "and" | "not" ) prox_expr )*
    prox_expr := atom ( "near" atom "within" NUMBER | "in-sentence" atom )*
    atom      := "code:" KEY | "(" or_expr ")"

Precedence, loosest first: `or`, then `and` / `not` (equal, left to right), then `near ... within N`
and `in-sentence` (equal, left to right), then a code or a parenthesised query. So
`code:a or code:b and code:c` is `code:a or (code:b and code:c)`, `code:a and code:b not code:c` is
`(code:a and code:b) not code:c`, and `code:a near code:b within 50 and code:c` is
`(code:a near code:b within 50) and code:c`. The proximity operators bind tightest because they
read as one phrase ("a near b within 50"); `or` binds loosest as in most search languages.

Meaning (evaluated by `query_eval`; every binary operator pairs spans of the SAME coder in the same
document): `code:K` is every span coded K or a code below K; `A and B` the overlap of an A span and a
B span; `A or B` either; `A not B` the A spans that overlap no B span; `A near B within N` an A span
and a B span at most N characters apart (overlapping counts as 0 apart), the result covering both;
`A in-sentence B` an A span and a B span touching a common sentence, the result covering both.

A mistake raises `QueryError` whose first line is `query: column C: what was expected`, followed by
the query and a caret under column C (1-based code points), so the command line can print it as it
is and the window can move the cursor to `column`. Unknown code keys are errors naming the key, with
the closest known key as a suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from annotator.core.analysis.codetree import CodeTree
from annotator.core.errors import UserError

Op = Literal["and", "or", "not", "near", "in-sentence"]
OPERATORS: tuple[Op, ...] = ("and", "or", "not", "near", "in-sentence")
KEYWORDS = frozenset([*OPERATORS, "within"])
CODE_PREFIX = "code:"
MAX_WITHIN = 1_000_000_000

_TOKEN = re.compile(r"\s*(?:(?P<paren>[()])|(?P<word>[^\s()]+))")


class QueryError(UserError):
    """A malformed query: `reason` at 1-based `column`; str() adds the query and a caret line."""

    def __init__(self, query: str, column: int, reason: str) -> None:
        self.query = query
        self.column = column
        self.reason = reason
        self.headline = f"query: column {column}: {reason}"
        echo = query.replace("\n", " ").replace("\t", " ")
        super().__init__(f"{self.headline}\n  {echo}\n  {' ' * (column - 1)}^")


@dataclass(frozen=True)
class Term:
    """`code:key`; `keys` is the key and all codes below it once resolved against a codebook."""

    key: str
    column: int
    keys: tuple[str, ...] = ()

    def __str__(self) -> str:
        return CODE_PREFIX + self.key


@dataclass(frozen=True)
class Binary:
    """`left op right` (with `within` characters for `near`); `column` is where the operator is."""

    op: Op
    left: Node
    right: Node
    column: int
    within: int | None = None

    def __str__(self) -> str:
        tail = f" within {self.within}" if self.op == "near" else ""
        return f"({self.left} {self.op} {self.right}{tail})"


Node = Term | Binary


@dataclass(frozen=True)
class _Token:
    kind: Literal["(", ")", "word", "end"]
    text: str
    column: int

    @property
    def keyword(self) -> str | None:
        low = self.text.lower()
        return low if self.kind == "word" and low in KEYWORDS else None


def _tokens(query: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while True:
        m = _TOKEN.match(query, pos)
        if m is None or m.end() == pos:
            break
        if m.group("paren"):
            paren = m.group("paren")
            out.append(_Token("(" if paren == "(" else ")", paren, m.start("paren") + 1))
        else:
            out.append(_Token("word", m.group("word"), m.start("word") + 1))
        pos = m.end()
    out.append(_Token("end", "", len(query.rstrip()) + 2 if query.strip() else 1))
    return out


class _Parser:
    def __init__(self, query: str, tree: CodeTree | None) -> None:
        self.query = query
        self.tree = tree
        self.tokens = _tokens(query)
        self.i = 0

    def fail(self, token: _Token, reason: str) -> QueryError:
        return QueryError(self.query, token.column, reason)

    @property
    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if self.peek.kind == "end":
            raise self.fail(self.peek, "the query is empty; write a code such as code:threat")
        node = self.or_expr()
        token = self.peek
        if token.kind == ")":
            raise self.fail(token, "this ')' closes no '('")
        if token.kind != "end":
            raise self.fail(token, f"expected and, or, not, near or in-sentence before '{token.text}'")
        return node

    def or_expr(self, after: _Token | None = None) -> Node:
        node = self.and_expr(after)
        while self.peek.keyword == "or":
            op = self.take()
            node = Binary("or", node, self.and_expr(after=op), op.column)
        return node

    def and_expr(self, after: _Token | None = None) -> Node:
        node = self.prox_expr(after)
        while self.peek.keyword in ("and", "not"):
            op = self.take()
            node = Binary("and" if op.keyword == "and" else "not", node, self.prox_expr(op), op.column)
        return node

    def prox_expr(self, after: _Token | None) -> Node:
        node = self.atom(after)
        while self.peek.keyword in ("near", "in-sentence"):
            op = self.take()
            right = self.atom(op)
            if op.keyword == "in-sentence":
                node = Binary("in-sentence", node, right, op.column)
                continue
            if self.peek.keyword != "within":
                raise self.fail(self.peek, f"expected 'within' and a number of characters after '{op.text} {right}'")
            within = self.take()
            number = self.peek
            if number.kind != "word" or not number.text.isdigit() or not number.text.isascii():
                shown = f", found '{number.text}'" if number.kind != "end" else ""
                raise self.fail(number, f"expected a number of characters after '{within.text}'{shown}")
            if int(number.text) > MAX_WITHIN:
                raise self.fail(number, f"{number.text} characters is too far; use at most {MAX_WITHIN}")
            self.take()
            node = Binary("near", node, right, op.column, int(number.text))
        return node

    def atom(self, after: _Token | None) -> Node:
        token = self.peek
        if token.kind == "(":
            self.take()
            node = self.or_expr(after=token)
            if self.peek.kind != ")":
                found = f", found '{self.peek.text}'" if self.peek.kind != "end" else ""
                raise self.fail(self.peek, f"expected ')' to close the '(' at column {token.column}{found}")
            self.take()
            return node
        if token.kind == "word" and token.text.lower().startswith(CODE_PREFIX):
            self.take()
            return self.term(token)
        raise self.fail(token, self.missing_code(token, after))

    def missing_code(self, token: _Token, after: _Token | None) -> str:
        where = f" after '{after.text}'" if after is not None else ""
        if token.kind == "end":
            return f"expected a code{where}"
        if token.keyword == "not" and after is None:
            return "'not' needs a left side: write A not B (the A passages that overlap no B)"
        if token.kind == "word" and self.tree is not None and token.text in self.tree:
            return f"expected a code{where}, found '{token.text}' (write code:{token.text})"
        example = "" if after is not None else " such as code:threat"
        return f"expected a code{example}{where}, found '{token.text}'"

    def term(self, token: _Token) -> Term:
        key = token.text[len(CODE_PREFIX) :]
        column = token.column + len(CODE_PREFIX)
        if not key:
            raise QueryError(self.query, column, "expected a code key after 'code:'")
        if self.tree is None:
            return Term(key, column)
        if key not in self.tree:
            raise QueryError(self.query, column, self.tree.unknown_key_message(key))
        return Term(key, column, self.tree.descendants(key))


def parse_query(query: str, tree: CodeTree | None = None) -> Node:
    """The syntax tree of `query`; with `tree`, code keys are checked and expanded to their children."""
    return _Parser(query, tree).parse()


def terms(node: Node) -> list[Term]:
    """The code terms of a query, left to right (for completion and for listing what was asked)."""
    if isinstance(node, Term):
        return [node]
    return [*terms(node.left), *terms(node.right)]
