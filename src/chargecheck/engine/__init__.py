"""The engine: assessing a case against the rule set (offences, the ladder, messages,
explanations) and the result types. Above the rule book, below the reports
(docs/architecture.md).
"""
