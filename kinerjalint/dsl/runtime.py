"""Operators of the rule language as none-safe Python helpers, used by generated code.

Text comparisons ignore case. ``contains`` and ``starts with``/``ends with`` against a
word list or a phrase work on whole words; ``matches`` is a case-insensitive regex search.
A comparison with a missing value (none) is false rather than an error.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

from kinerjalint.bilingual import Said
from kinerjalint.dsl.registry import REGISTRY
from kinerjalint.dsl.wordlists import WordList, word_tuple
from kinerjalint.dsl.patterns import RulePattern, rule_pattern
from kinerjalint.levels import Level
from kinerjalint.loaders.base import shorten


def _fold(x: Any) -> Any:
    return x.casefold() if isinstance(x, str) else x


def eq(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    return bool(a == b)


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def lt(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a < b


def le(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a <= b


def gt(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a > b


def ge(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a >= b


def _seq_in(needle: tuple[str, ...], hay: tuple[str, ...]) -> bool:
    n = len(needle)
    if n == 0:
        return False
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def in_(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    if isinstance(b, WordList):
        return b.has(a)
    if isinstance(b, str):
        return isinstance(a, str) and _seq_in(word_tuple(a), word_tuple(b))
    if isinstance(a, str):
        fa = a.casefold()
        return any(isinstance(x, str) and x.casefold() == fa for x in b)
    return a in b


def not_in(a: Any, b: Any) -> bool:
    return a is not None and b is not None and not in_(a, b)


def starts(a: Any, b: Any) -> bool:
    if not isinstance(a, str) or b is None:
        return False
    if isinstance(b, WordList):
        return b.prefix(a) is not None
    if isinstance(b, str):
        return a.casefold().startswith(b.casefold())
    return any(starts(a, x) for x in b)


def ends(a: Any, b: Any) -> bool:
    if not isinstance(a, str) or b is None:
        return False
    if isinstance(b, WordList):
        return b.suffix(a) is not None
    if isinstance(b, str):
        return a.casefold().endswith(b.casefold())
    return any(ends(a, x) for x in b)


def contains(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    if isinstance(a, str):
        if isinstance(b, WordList):
            return b.find(a) is not None
        if isinstance(b, str):
            return _seq_in(word_tuple(b), word_tuple(a))
        return any(contains(a, x) for x in b)
    if isinstance(a, (list, tuple)):
        return any(eq(x, b) for x in a) if not isinstance(b, WordList) else any(b.has(x) for x in a)
    return False


def not_contains(a: Any, b: Any) -> bool:
    return a is not None and b is not None and not contains(a, b)


def rx_search(rx: re.Pattern[str] | RulePattern, a: Any) -> bool:
    """`matches` with a pattern compiled when the rules were compiled."""
    return isinstance(a, str) and rx.search(a) is not None


def matches(a: Any, pattern: Any) -> bool:
    if not isinstance(a, str) or not isinstance(pattern, str):
        return False
    return rule_pattern(pattern).search(a) is not None


def empty(x: Any) -> bool:
    if x is None:
        return True
    if isinstance(x, str):
        return not x.strip()
    if isinstance(x, (list, tuple, dict, set, frozenset)):
        return len(x) == 0
    return False


def add(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return [*a, *b]
    if isinstance(a, Said) or isinstance(b, Said):  # keeps both languages
        return Said(fmt(a) + fmt(b), fmt(a, "en") + fmt(b, "en"))
    if isinstance(a, str) or isinstance(b, str):
        return f"{a}{b}" if isinstance(a, str) and isinstance(b, str) else f"{fmt(a)}{fmt(b)}"
    return a + b


def arith(op: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / b if b else None


def neg(a: Any) -> Any:
    return None if a is None else -a


MESSAGE_VALUE_LIMIT = 1000  # characters of one value in a message; real statements are under 300


def fmt(v: Any, lang: str = "id") -> str:
    """A value as it reads in a message, cut in the middle past MESSAGE_VALUE_LIMIT: a
    statement of two megabytes would otherwise be printed whole in each of its findings."""
    kind = type(v)
    if kind is str:  # most placeholders (a million of them in 200,000 findings): no further test
        return v if len(v) <= MESSAGE_VALUE_LIMIT else shorten(v, MESSAGE_VALUE_LIMIT)
    if kind is int:
        return shorten(str(v), MESSAGE_VALUE_LIMIT)
    return shorten(_fmt(v, lang), MESSAGE_VALUE_LIMIT)


def _fmt(v: Any, lang: str) -> str:
    if v is None:
        return "-"
    if isinstance(v, Said):  # a text in both languages: the message's language
        return v.en if lang == "en" else str(v)
    if isinstance(v, Level):
        return v.label(lang)
    if isinstance(v, bool):
        return ("ya" if v else "tidak") if lang == "id" else ("yes" if v else "no")
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.2f}".rstrip("0").replace(".", "," if lang == "id" else ".")
    if isinstance(v, (list, tuple)):
        return ", ".join(_fmt(x, lang) for x in v[:MESSAGE_VALUE_LIMIT])
    name = type(v).__name__
    if name == "Node":
        return str(getattr(v, "id", ""))
    if name in ("Indicator", "PemdaIndicator"):
        return str(getattr(v, "nama", ""))
    if name == "Sasaran":
        return str(v.id)
    if name == "Agency":
        return str(v.name)
    if name == "TableRow":
        return str(getattr(v, "kinerja", ""))
    return str(v)


def seq(x: Any) -> Sequence[Any]:
    """A collection to loop over; none loops zero times."""
    return () if x is None else x


# ---- what the generated code is linked with -------------------------------------------

_UNSET = object()  # a lazy let not evaluated yet


def _ga(obj: Any, name: str) -> Any:
    return None if obj is None else getattr(obj, name, None)


def _loc(obj: Any, fieldname: str | None) -> tuple[tuple[Any, ...], str, str | None, Any]:
    """(document path, offending value, node id, object) of a field of a node/indicator/row."""
    if obj is None:
        return (), "", None, None
    kind = type(obj).__name__
    if fieldname is None:  # the object's own text: a node's statement, an indicator's name
        fieldname = "nama" if kind in ("Indicator", "PemdaIndicator") else "kinerja"
    path = obj.path + (fieldname,)
    value = getattr(obj, fieldname, "") if fieldname else getattr(obj, "kinerja", getattr(obj, "nama", ""))
    if kind in ("Node", "Sasaran"):
        node_id = obj.id
    elif kind == "Indicator":
        node_id = obj.node.id
    elif kind == "PemdaIndicator":
        node_id = obj.sasaran.id
    else:
        node_id = f"{obj.table}:{obj.index + 1}"
    return path, "" if value is None else str(value) if not isinstance(value, list) else ", ".join(map(str, value)), node_id, obj


def generated_globals() -> dict[str, Any]:
    """The names the generated rule module calls, bound to the helpers of this module."""
    r = sys.modules[__name__]
    return {
        "_eq": r.eq, "_ne": r.ne, "_lt": r.lt, "_le": r.le, "_gt": r.gt, "_ge": r.ge,
        "_in": r.in_, "_not_in": r.not_in, "_starts": r.starts, "_ends": r.ends,
        "_contains": r.contains, "_not_contains": r.not_contains, "_matches": r.matches, "_rx_search": r.rx_search,
        "_empty": r.empty, "_add": r.add, "_arith": r.arith, "_neg": r.neg, "_fmt": r.fmt,
        "_seq": r.seq, "_ga": _ga, "_loc": _loc, "_F_first": REGISTRY["first"].py, "_U": _UNSET,
    }
