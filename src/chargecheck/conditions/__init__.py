"""The condition language: the facts a rule may read, compiling and describing conditions,
and their JSON Schema. Below the rule book, above reading a case (docs/architecture.md).
"""
