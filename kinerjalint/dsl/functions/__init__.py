"""The DSL function library, one module per domain.

Each module registers its functions in :mod:`kinerjalint.dsl.registry` when imported (with
parameter and return types, see :mod:`kinerjalint.dsl.vocabulary`, and a doc line);
:mod:`kinerjalint.dsl.library` imports them all and hands the registry to the compiler.

- :mod:`.core`: values and collections (pick, size, first/last, minimum/maximum, join)
- :mod:`.text`: words, case, normalising, regular expressions, replacement and diff
- :mod:`.spelling`: spelling (LNG-09) against the dictionaries
- :mod:`.names`: name variants (NAM-01) and acronyms (NAM-02) within one submission
- :mod:`.vocab`: the word lists of ``rules/words`` (look-up, classes, entries)
- :mod:`.tree`: tree-wide indexes and similarity (same_key, similar, best_match, majority, level_of)
- :mod:`.indicators`: indicators and their units
- :mod:`.targets`: target notations and numbers
- :mod:`.government`: the Pemda tree, the agencies and the indexes across them (``--pemda``)

Word lists are read through :mod:`kinerjalint.dsl.wordlists` only.
"""
