"""The rule book: the rule files and their models, loading, checking, compiling and caching
the rule set, local packs, rule tests, rule documentation and the JSON Schemas.
Above the condition language, below the engine (docs/architecture.md).
"""
