"""The analysis of a manifest: its data-flow graph (``graph``), where regulated data
reaches and crosses the border (``lineage``), and the law of each crossing.

The law is kept as pure functions: which regime is in force on a date (``regimes``),
how many individuals a crossing counts (``counting``), what each crossing needs
(``decision``), and the statutory timelines of an assessment and a standard contract
(``timelines``); ``transfers`` applies them to a run's crossings and approvals, and
``workdays`` is the mainland calendar they count in. Inputs are plain values and
frozen dataclasses; nothing here knows a guardrail or the run context.
"""
