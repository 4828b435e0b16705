"""The analysis of a manifest: its data-flow graph (``graph``), where regulated data
reaches and crosses the border (``lineage``), and the law of each crossing.

The law is kept as pure functions: which regime is in force on a date (``regimes``),
how many individuals a crossing counts (``counting``), what each crossing needs
(``decision``), and the statutory timelines of an assessment and a standard contract
(``timelines``); ``transfers`` applies them to a run's crossings and approvals, and
``workdays`` is the mainland calendar they count in. Inputs are plain values and
frozen dataclasses; nothing here knows a guardrail or the run context.

The infrastructure a manifest is checked against (``--terraform``): the Terraform
catalog of a pack (``tfcatalog``), resource addresses and their globs (``addresses``),
where each resource of a plan or state runs (``infrastructure``), and the comparison
with the manifest's components, STEER-IAC-001..004 (``infra_compare``).
"""
