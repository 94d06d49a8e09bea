"""The outputs: the assess reports (text, JSON, Markdown, HTML), the timeline, the audit
tally and its report, the training view, the rule-test report, and writing report files.
Above the engine, below the command line (docs/architecture.md).
"""
