"""The rule language: grammar parsing, name and type checking, compilation, and its function library."""
