"""The rule language's syntax tree: frozen dataclasses built by :mod:`.parser`.

Lark trees never leave the DSL package; everything after parsing works on these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Pos:
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0


NOPOS = Pos(0, 0)


@dataclass(frozen=True)
class Expr:
    pos: Pos


@dataclass(frozen=True)
class Name(Expr):
    name: str


@dataclass(frozen=True)
class Str(Expr):
    value: str


@dataclass(frozen=True)
class Num(Expr):
    value: float


@dataclass(frozen=True)
class ListLit(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class WordListRef(Expr):
    name: str


@dataclass(frozen=True)
class Attr(Expr):
    obj: Expr
    field: str


@dataclass(frozen=True)
class Call(Expr):
    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Lambda(Expr):
    param: str
    body: Expr


@dataclass(frozen=True)
class Quant(Expr):
    kind: str  # any | all | none_of | count | select | first_of
    var: str
    coll: Expr
    cond: Expr | None


@dataclass(frozen=True)
class Compare(Expr):
    op: str  # == != < <= > >= in "not in" "starts with" "ends with" contains "not contains" matches
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Test(Expr):
    kind: str  # none | not none | empty | not empty
    operand: Expr


@dataclass(frozen=True)
class BoolOp(Expr):
    op: str  # and | or
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True)
class Arith(Expr):
    op: str  # + - * /
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Neg(Expr):
    operand: Expr


@dataclass(frozen=True)
class IfExpr(Expr):
    """``if cond then a else b``; ``case when ... then ... else ...`` is a chain of these."""

    cond: Expr
    then: Expr
    else_: Expr


@dataclass(frozen=True)
class Template:
    """A message/fix text: literal parts and ``{expression}`` placeholders."""

    parts: tuple[str | Expr, ...]
    source: str
    pos: Pos


@dataclass(frozen=True)
class Texts:
    """The same text in Indonesian and English."""

    id: Template | None
    en: Template | None
    pos: Pos


@dataclass(frozen=True)
class Variant:
    """One named variant of a message or fix text: used when ``when`` holds (None: the default)."""

    name: str
    when: Expr | None
    texts: Texts
    pos: Pos


@dataclass(frozen=True)
class Variants:
    """A message or fix text with named variants, the first whose ``when`` holds is used."""

    items: tuple[Variant, ...]
    pos: Pos

    @property
    def id(self) -> Template | None:  # the default variant's texts, for documentation
        return self.items[-1].texts.id

    @property
    def en(self) -> Template | None:
        return self.items[-1].texts.en


@dataclass(frozen=True)
class SeverityClause:
    level: str
    when: Expr | None
    pos: Pos


@dataclass(frozen=True)
class Scope:
    var: str
    coll: Expr | None
    where: Expr | None
    pos: Pos


@dataclass(frozen=True)
class Let:
    name: str
    value: Expr
    pos: Pos


@dataclass(frozen=True)
class RawText:
    """An example given as the raw text of a YAML file."""

    text: str


@dataclass(frozen=True)
class Example:
    kind: str  # fail | pass
    value: Any
    pos: Pos
    words: tuple[str, Any] | None = None  # (list name, entries) the example needs
    fixed: Any = None  # `fixed {...}`: what the rule's fix replace makes of the example


@dataclass(frozen=True)
class RuleDef:
    code: str
    name: str
    pos: Pos
    file: str
    severities: tuple[SeverityClause, ...] = ()
    title: Texts | None = None
    message: Texts | Variants | None = None
    rationale: Texts | None = None
    source: str = ""
    group: str | None = None
    scope: Scope | None = None
    lets: tuple[Let, ...] = ()
    report: Expr | None = None
    at: Expr | None = None
    fix_text: Texts | Variants | None = None
    fix_replace: tuple[Expr, Expr] | None = None
    examples: tuple[Example, ...] = ()
    loader_args: tuple[str, ...] | None = None
    clause_pos: dict[str, Pos] = field(default_factory=dict, compare=False, hash=False)
