"""Rule files -> :class:`~kinerjalint.dsl.ast.RuleDef` values.

The grammar is ``grammar/kinerjalint.lark`` (LALR, positions propagated). Syntax errors
become :class:`~kinerjalint.errors.RuleSyntaxError` with file:line:col and a caret line.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from kinerjalint.bilingual import Said, en_of
from kinerjalint.dsl import ast as A
from kinerjalint.errors import RuleSyntaxError, SourcePoint
from kinerjalint.resources import grammar_text
from kinerjalint.span import caret_excerpt


@cache
def _lark() -> Lark:
    return Lark(grammar_text(), parser="lalr", start=["start", "template_expr"],
                propagate_positions=True, maybe_placeholders=True, cache=True)


def _pos(meta: Any) -> A.Pos:
    if getattr(meta, "empty", True):
        return A.NOPOS
    return A.Pos(meta.line, meta.column, meta.end_line, meta.end_column)


def _tpos(tok: Token) -> A.Pos:
    return A.Pos(tok.line or 0, tok.column or 0, tok.end_line or 0, tok.end_column or 0)


_SPEC = re.compile(r":q\s*$")  # the quoting spec at the end of a placeholder: {kata:q}

_ESC = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


def unquote(tok: str) -> str:
    """The text of a "double" or 'single' quoted literal, with \\n \\t \\" \\' \\\\ escapes."""
    body = tok[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESC.get(m.group(1), "\\" + m.group(1)), body)


_TERM_NAMES = {
    "RBRACE": "'}'", "LBRACE": "'{'", "LPAR": "'('", "RPAR": "')'", "STRING": Said("teks \"...\"", "text \"...\""),
    "NAME": Said("nama", "name"), "NUMBER": Said("angka", "number"),
    "CODE": Said("kode aturan (mis. LNG-02)", "rule code (e.g. LNG-02)"), "COMMA": "','",
    "COLON": "':'", "DOT": "'.'", "EQUAL": "'='", "LSQB": "'['", "RSQB": "']'", "PLUS": "'+'",
    "MINUS": "'-'", "STAR": "'*'", "SLASH": "'/'", "LISTNAME": Said("nama daftar kata", "word list name"),
}

# The common slips of a rule author, each shown by a small wrong rule: a syntax error whose
# parser state matches one of these gets the hint (lark's match_examples).
_SLIPS: dict[str, list[str]] = {
    Said("untuk membandingkan pakai '==' (satu '=' hanya untuk 'let nama = ...')",
         "to compare use '==' (a single '=' is only for 'let name = ...')"): [
        "rule A-01 a { report when node.level = csf }",
        "rule A-01 a { for node where node.level = csf }",
        "rule A-01 a { severity error when node.level = csf }",
        "rule A-01 a { let b = node.level = csf }",
        "rule A-01 a { report when a and b.c = x }",
        "rule A-01 a { for node where a and b.c = x }",
        "rule A-01 a { report when a or b.c = x }",
        "rule A-01 a { report when f(a) = x }",
    ],
    Said("teks ditulis dalam tanda petik: id \"...\" en \"...\"", "texts are written in quotes: id \"...\" en \"...\""): [
        "rule A-01 a { message id Pernyataan salah }",
        "rule A-01 a { title id Judul }",
        "rule A-01 a { fix id Ganti }",
        "rule A-01 a { message id \"x\" en Statement }",
        "rule A-01 a { source PermenPANRB }",
    ],
    Said("'}' penutup aturan sebelumnya kurang (setiap 'rule ... {' ditutup dengan '}')",
         "the closing '}' of the rule before is missing (every 'rule ... {' is closed with '}')"): [
        "rule A-01 a { severity warning rule B-01 b { }",
        "rule A-01 a { report when x rule B-01 b { }",
        "rule A-01 a { message id \"x\" rule B-01 b { }",
        "rule A-01 a { example pass { level: csf } rule B-01 b { }",
    ],
    Said("setelah 'report' ditulis 'when', mis. report when node.kinerja is empty",
         "'report' is followed by 'when', e.g. report when node.kinerja is empty"): [
        "rule A-01 a { report node.kinerja is empty }",
    ],
}

# Characters people type from other languages, and what the rule language says instead.
_STRAIGHT = (Said("pakai tanda petik biasa \" (bukan petik miring dari pengolah kata)",
                  "use a straight quote \" (not a word processor's curly one)"),
             Said("pakai tanda petik biasa ' (bukan petik miring dari pengolah kata)",
                  "use a straight quote ' (not a word processor's curly one)"))
_CHAR_HINTS = {"&": Said("pakai 'and'", "use 'and'"), "|": Said("pakai 'or'", "use 'or'"),
               "!": Said("pakai 'not' atau '!='", "use 'not' or '!='"), "=": Said("pakai '=='", "use '=='"),
               "\u201c": _STRAIGHT[0], "\u201d": _STRAIGHT[0], "\u2018": _STRAIGHT[1], "\u2019": _STRAIGHT[1]}


def _hint(label: str) -> str:
    return Said(f" (petunjuk: {label})", f" (hint: {en_of(label)})")


def _slip(exc: UnexpectedInput) -> str:
    """The hint for a common slip: by the unexpected token where it tells, else by the parser
    state of one of the examples in ``_SLIPS``; '' when none fits."""
    tok = getattr(exc, "token", None)
    expected = set(getattr(exc, "expected", None) or ())
    labels = list(_SLIPS)
    if tok is not None and tok.type == "EQUAL":
        return _hint(labels[0])
    if tok is not None and tok.type == "NAME" and expected == {"STRING"}:
        return _hint(labels[1])
    if tok is not None and tok.type == "RULE" and "RBRACE" in expected:
        return _hint(labels[2])
    try:
        label = exc.match_examples(lambda t: _lark().parse(t, start="start"), _SLIPS, use_accepts=True)
    except Exception:  # noqa: BLE001 -- a hint is a nicety; never let it hide the real error
        return ""
    return _hint(label) if label else ""


class _Build(Transformer):
    def __init__(self, path: str, text: str) -> None:
        super().__init__()
        self.path = path
        self.text = text

    # ---- expressions
    @v_args(meta=True)
    def name(self, meta: Any, c: list[Token]) -> A.Expr:
        return A.Name(_pos(meta), str(c[0]))

    @v_args(meta=True)
    def string(self, meta: Any, c: list[Token]) -> A.Expr:
        return A.Str(_pos(meta), unquote(c[0]))

    @v_args(meta=True)
    def number(self, meta: Any, c: list[Token]) -> A.Expr:
        return A.Num(_pos(meta), float(c[0]))

    @v_args(meta=True)
    def list_(self, meta: Any, c: list[Any]) -> A.Expr:
        return A.ListLit(_pos(meta), tuple(x for x in c if x is not None))

    @v_args(meta=True)
    def wordlist(self, meta: Any, c: list[Token]) -> A.Expr:
        return A.WordListRef(_pos(meta), str(c[0]))

    @v_args(meta=True)
    def attr(self, meta: Any, c: list[Any]) -> A.Expr:
        return A.Attr(_pos(meta), c[0], str(c[1]))

    @v_args(meta=True)
    def call(self, meta: Any, c: list[Any]) -> A.Expr:
        args = c[1] if c[1] is not None else ()
        return A.Call(_pos(meta), str(c[0]), tuple(args))

    def args(self, c: list[Any]) -> tuple[Any, ...]:
        return tuple(c)

    @v_args(meta=True)
    def lambda_(self, meta: Any, c: list[Any]) -> A.Expr:
        return A.Lambda(_pos(meta), str(c[0]), c[1])

    @v_args(meta=True)
    def quant(self, meta: Any, c: list[Any]) -> A.Expr:
        return A.Quant(_pos(meta), str(c[0]), str(c[1]), c[2], c[3])

    def quant_kw(self, c: list[Token]) -> str:
        return str(c[0])

    def comp_op(self, c: list[Token]) -> str:
        return " ".join(str(t) for t in c)

    @v_args(meta=True)
    def compare(self, meta: Any, c: list[Any]) -> A.Expr:
        return A.Compare(_pos(meta), c[1], c[0], c[2])

    def _test(self, kind: str, meta: Any, c: list[Any]) -> A.Expr:
        return A.Test(_pos(meta), kind, c[0])

    @v_args(meta=True)
    def is_none(self, meta: Any, c: list[Any]) -> A.Expr:
        return self._test("none", meta, c)

    @v_args(meta=True)
    def is_not_none(self, meta: Any, c: list[Any]) -> A.Expr:
        return self._test("not none", meta, c)

    @v_args(meta=True)
    def is_empty(self, meta: Any, c: list[Any]) -> A.Expr:
        return self._test("empty", meta, c)

    @v_args(meta=True)
    def is_not_empty(self, meta: Any, c: list[Any]) -> A.Expr:
        return self._test("not empty", meta, c)

    @v_args(meta=True)
    def or_(self, meta: Any, c: list[Any]) -> A.Expr:
        return c[0] if len(c) == 1 else A.BoolOp(_pos(meta), "or", tuple(c))

    @v_args(meta=True)
    def and_(self, meta: Any, c: list[Any]) -> A.Expr:
        return c[0] if len(c) == 1 else A.BoolOp(_pos(meta), "and", tuple(c))

    @v_args(meta=True)
    def not_(self, meta: Any, c: list[Any]) -> A.Expr:
        return A.Not(_pos(meta), c[0])

    def _arith(self, op: str, meta: Any, c: list[Any]) -> A.Expr:
        return A.Arith(_pos(meta), op, c[0], c[1])

    @v_args(meta=True)
    def add(self, meta: Any, c: list[Any]) -> A.Expr:
        return self._arith("+", meta, c)

    @v_args(meta=True)
    def sub(self, meta: Any, c: list[Any]) -> A.Expr:
        return self._arith("-", meta, c)

    @v_args(meta=True)
    def mul(self, meta: Any, c: list[Any]) -> A.Expr:
        return self._arith("*", meta, c)

    @v_args(meta=True)
    def div(self, meta: Any, c: list[Any]) -> A.Expr:
        return self._arith("/", meta, c)

    @v_args(meta=True)
    def neg(self, meta: Any, c: list[Any]) -> A.Expr:
        return A.Neg(_pos(meta), c[0])

    @v_args(meta=True)
    def if_(self, meta: Any, c: list[Any]) -> A.Expr:
        return A.IfExpr(_pos(meta), c[0], c[1], c[2])

    @v_args(meta=True)
    def case_(self, meta: Any, c: list[Any]) -> A.Expr:
        # `case when a then x when b then y else z` is `if a then x else if b then y else z`
        out: A.Expr = c[-1]
        for cond, then, pos in reversed(c[:-1]):
            out = A.IfExpr(pos, cond, then, out)
        return A.IfExpr(_pos(meta), out.cond, out.then, out.else_) if isinstance(out, A.IfExpr) else out

    @v_args(meta=True)
    def case_branch(self, meta: Any, c: list[Any]) -> tuple[A.Expr, A.Expr, A.Pos]:
        return c[0], c[1], _pos(meta)

    def template_expr(self, c: list[Any]) -> Any:
        return c[0]

    # ---- example values
    def object(self, c: list[Any]) -> dict[str, Any]:
        return dict(p for p in c if p is not None)

    def pair(self, c: list[Any]) -> tuple[str, Any]:
        k = str(c[0])
        return (unquote(k) if k.startswith('"') else k), c[1]

    def array(self, c: list[Any]) -> list[Any]:
        return [x for x in c if x is not None] if c != [None] else []

    def v_string(self, c: list[Token]) -> str:
        return unquote(c[0])

    def v_name(self, c: list[Token]) -> str:
        return str(c[0])

    def v_number(self, c: list[Token]) -> float | int:
        f = float(c[0])
        return int(f) if f.is_integer() and "." not in c[0] else f

    def v_true(self, c: list[Any]) -> bool:
        return True

    def v_false(self, c: list[Any]) -> bool:
        return False

    def v_null(self, c: list[Any]) -> None:
        return None

    # ---- clauses
    def rule_name(self, c: list[Token]) -> str:
        return "-".join(str(t) for t in c)

    @v_args(meta=True)
    def text_id(self, meta: Any, c: list[Token]) -> tuple[str, A.Template]:
        return "id", self.template(c[0])

    @v_args(meta=True)
    def text_en(self, meta: Any, c: list[Token]) -> tuple[str, A.Template]:
        return "en", self.template(c[0])

    @v_args(meta=True)
    def texts(self, meta: Any, c: list[tuple[str, A.Template]]) -> A.Texts:
        d = dict(c)
        return A.Texts(d.get("id"), d.get("en"), _pos(meta))

    def template(self, tok: Token) -> A.Template:
        raw = unquote(tok)
        parts: list[str | A.Expr] = []
        buf: list[str] = []
        i = 0
        while i < len(raw):
            ch = raw[i]
            if ch in "{}" and raw[i:i + 2] in ("{{", "}}"):
                buf.append(ch)
                i += 2
                continue
            if ch == "{":
                end = _closing_brace(raw, i)
                if end < 0:
                    self._fail(Said("'{' tanpa '}' penutup dalam teks", "a '{' without its closing '}' in the text"), tok.line or 0, (tok.column or 0) + 1 + i)
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(self._placeholder(raw[i + 1:end], tok, i + 1))
                i = end + 1
                continue
            buf.append(ch)
            i += 1
        if buf:
            parts.append("".join(buf))
        return A.Template(tuple(parts), raw, _tpos(tok))

    def _placeholder(self, src: str, tok: Token, offset: int) -> A.Expr:
        line, col = tok.line or 0, (tok.column or 0) + 1 + offset
        # `{value:q}`: the value in double quotes, quotes inside it escaped (see `quote`)
        spec = _SPEC.search(src)
        body = src[:spec.start()] if spec else src
        try:
            tree = _lark().parse(body, start="template_expr")
        except UnexpectedInput as exc:
            self._fail(Said(f"ekspresi '{{{src}}}' dalam teks tidak sah", f"the expression '{{{src}}}' in the text is not valid"), line, col + max(0, (exc.column or 1) - 1))
        expr = _shift(_Build(self.path, self.text).transform(tree), line - 1, col - 1)
        if spec:
            return A.Call(expr.pos, "quote", (expr,))
        return expr

    def _fail(self, msg: str, line: int, col: int) -> None:
        raise RuleSyntaxError(msg, SourcePoint(self.path, line, col), caret_excerpt(self.text, line, col))

    @v_args(meta=True)
    def severity_clause(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return "severity", A.SeverityClause(str(c[0]), c[1], _pos(meta))

    def title_clause(self, c: list[Any]) -> tuple[str, Any]:
        return "title", c[0]

    def message_clause(self, c: list[Any]) -> tuple[str, Any]:
        return "message", c[0]

    @v_args(meta=True)
    def variant(self, meta: Any, c: list[Any]) -> A.Variant:
        return A.Variant(str(c[0]), c[1], c[2], _pos(meta))

    def _variants(self, meta: Any, c: list[A.Variant]) -> A.Variants:
        names = [v.name for v in c]
        for i, v in enumerate(c):
            if names.index(v.name) != i:
                self._fail(Said(f"varian '{v.name}' ditulis dua kali", f"the variant '{v.name}' is written twice"), v.pos.line, v.pos.column)
            last = i == len(c) - 1
            if last and v.when is not None:
                self._fail(Said(f"varian terakhir ('{v.name}') adalah bawaan: tanpa 'when'", f"the last variant ('{v.name}') is the default: without 'when'"), v.pos.line, v.pos.column)
            if not last and v.when is None:
                self._fail(Said(f"varian '{v.name}' perlu 'when ...' (hanya varian terakhir tanpa syarat)",
                                f"the variant '{v.name}' needs 'when ...' (only the last variant has no condition)"),
                           v.pos.line, v.pos.column)
        return A.Variants(tuple(c), _pos(meta))

    @v_args(meta=True)
    def message_variants(self, meta: Any, c: list[A.Variant]) -> tuple[str, Any]:
        return "message", self._variants(meta, c)

    @v_args(meta=True)
    def fix_variants(self, meta: Any, c: list[A.Variant]) -> tuple[str, Any]:
        return "fix_text", self._variants(meta, c)

    def rationale_clause(self, c: list[Any]) -> tuple[str, Any]:
        return "rationale", c[0]

    def source_clause(self, c: list[Token]) -> tuple[str, Any]:
        return "source", unquote(c[0])

    def group_clause(self, c: list[Token]) -> tuple[str, Any]:
        return "group", str(c[0])

    @v_args(meta=True)
    def scope_clause(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return "scope", A.Scope(str(c[0]), c[1], c[2], _pos(meta))

    @v_args(meta=True)
    def let_clause(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return "let", A.Let(str(c[0]), c[1], _pos(meta))

    def report_clause(self, c: list[Any]) -> tuple[str, Any]:
        return "report", c[0]

    def at_clause(self, c: list[Any]) -> tuple[str, Any]:
        return "at", c[0]

    def fix_text_clause(self, c: list[Any]) -> tuple[str, Any]:
        return "fix_text", c[0]

    def fix_replace_clause(self, c: list[Any]) -> tuple[str, Any]:
        return "fix_replace", (c[0], c[1])

    @v_args(meta=True)
    def example_clause(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        kind = str(c[0])
        if c[3] is not None and kind != "fail":
            self._fail(Said("'fixed' hanya untuk 'example fail' (contoh yang diperbaiki)", "'fixed' is only for 'example fail' (the example fixed)"), meta.line, meta.column)
        return "example", A.Example(kind, c[1], _pos(meta), c[2], c[3])

    def example_fixed(self, c: list[Any]) -> Any:
        return c[0]

    def example_words(self, c: list[Any]) -> tuple[str, Any]:
        return str(c[0]), c[1]

    @v_args(meta=True)
    def example_text_clause(self, meta: Any, c: list[Any]) -> tuple[str, Any]:
        return "example", A.Example(str(c[0]), A.RawText(unquote(c[1])), _pos(meta))

    def loader_clause(self, c: list[Any]) -> tuple[str, Any]:
        return "loader", tuple(str(t) for t in c if t is not None)

    @v_args(meta=True)
    def rule(self, meta: Any, c: list[Any]) -> A.RuleDef:
        code, name, clauses = str(c[0]), c[1], c[2:]
        fields: dict[str, Any] = {"severities": [], "lets": [], "examples": []}
        plural = {"severity": "severities", "let": "lets", "example": "examples"}
        for key, value in clauses:
            if key in plural:
                fields[plural[key]].append(value)
            elif key in fields:
                self._fail(Said(f"klausa '{key}' ditulis dua kali dalam aturan {code}", f"the clause '{key}' is written twice in rule {code}"), meta.line, meta.column)
            else:
                fields["loader_args" if key == "loader" else key] = value
        for k in plural.values():
            fields[k] = tuple(fields[k])
        return A.RuleDef(code=code, name=name, pos=_pos(meta), file=self.path, **fields)

    def start(self, c: list[A.RuleDef]) -> list[A.RuleDef]:
        return list(c)


def _closing_brace(text: str, start: int) -> int:
    """Index of the '}' closing the placeholder opened at ``start``; braces inside quoted
    strings (a regex quantifier such as '[0-9]{2}') and nested braces do not close it."""
    depth, quote, i = 0, "", start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _shift(expr: Any, dline: int, dcol: int) -> Any:
    """Move a placeholder's positions from the template text into the rule file."""
    import dataclasses

    if isinstance(expr, A.Expr):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(expr):
            v = getattr(expr, f.name)
            if f.name == "pos":
                changes["pos"] = A.Pos(v.line + dline, v.column + dcol, v.end_line + dline, v.end_column + dcol)
            elif isinstance(v, (A.Expr, tuple)):
                changes[f.name] = _shift(v, dline, dcol)
        return dataclasses.replace(expr, **changes)
    if isinstance(expr, tuple):
        return tuple(_shift(x, dline, dcol) for x in expr)
    return expr


def _expected(exc: UnexpectedInput) -> str:
    exp = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or set()
    names = {_TERM_NAMES.get(e, e.strip('"').lower()) for e in exp if not e.startswith("__")}
    # words first (the clause or keyword the author probably meant), punctuation after
    ordered = sorted(names, key=lambda n: (n.startswith("'"), n))
    more = ", ..." if len(ordered) > 10 else ""
    return Said(", ".join(ordered[:10]) + more, ", ".join(en_of(n) for n in ordered[:10]) + more)


def parse_rules(text: str, path: str) -> list[A.RuleDef]:
    try:
        tree = _lark().parse(text, start="start")
    except UnexpectedToken as exc:
        end = exc.token.type == "$END"
        got = Said("akhir berkas", "the end of the file") if end else f"'{exc.token}'"
        hint = _hint(Said("'}' penutup aturan kurang di akhir berkas", "the closing '}' of the rule is missing at "
                          "the end of the file")) if end else _slip(exc)
        expected = _expected(exc)
        raise RuleSyntaxError(Said(f"tidak diharapkan {got}; yang diharapkan: {expected}{hint}",
                                   f"unexpected {en_of(got)}; expected: {en_of(expected)}{en_of(hint)}"),
                              SourcePoint(path, exc.line, exc.column), caret_excerpt(text, exc.line, exc.column)) from None
    except UnexpectedCharacters as exc:
        ch = text[exc.pos_in_stream or 0]
        hint = _CHAR_HINTS.get(ch, "")
        raise RuleSyntaxError(Said(f"karakter tidak dikenal '{ch}'" + (f" ({hint})" if hint else ""),
                                   f"unknown character '{ch}'" + (f" ({en_of(hint)})" if hint else "")),
                              SourcePoint(path, exc.line, exc.column), caret_excerpt(text, exc.line, exc.column)) from None
    except UnexpectedEOF:
        n = text.count("\n") + 1
        raise RuleSyntaxError(Said("berkas aturan berakhir sebelum aturan selesai ('}' kurang?)",
                                   "the rule file ends before the rule does (a '}' missing?)"),
                              SourcePoint(path, n, 1)) from None
    try:
        rules: list[A.RuleDef] = _Build(path, text).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, RuleSyntaxError):
            raise exc.orig_exc from None
        raise
    return rules


_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{2}$")


def parse_expression(text: str, path: str = "<ekspresi>") -> A.Expr:
    """One expression (as in a `let` or a template placeholder), e.g. for `evaluate`."""
    try:
        tree = _lark().parse(text, start="template_expr")
    except UnexpectedInput as exc:
        line, col = getattr(exc, "line", 1) or 1, getattr(exc, "column", 1) or 1
        slip = _slip(exc) if isinstance(exc, UnexpectedToken) else ""
        raise RuleSyntaxError(Said(f"ekspresi tidak sah{slip}", f"invalid expression{en_of(slip)}"),
                              SourcePoint(path, line, col), caret_excerpt(text, line, col)) from None
    expr: A.Expr = _Build(path, text).transform(tree)
    return expr
