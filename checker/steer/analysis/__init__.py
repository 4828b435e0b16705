"""The law of cross-border transfer as pure functions: which regime is in force on a
date (``regimes``), what each crossing needs under it (``decision``), and the
statutory timelines of an assessment and a standard contract (``timelines``).

Nothing here imports the rest of steer: inputs are plain values and frozen
dataclasses, the pack's parameters arrive as the parsed ``parameters.yaml`` dict,
and the working-day calendar is a function passed in.
"""
