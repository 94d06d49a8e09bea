"""Reading a case: YAML, the case model, loading and cross-checks, contradictions, what-if edits.

The lowest layer: it knows nothing of rules, the engine or reports (docs/architecture.md).
"""
