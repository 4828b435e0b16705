"""The check kinds: the engine's primitives, one module each.

Each kind module declares ``NAME``, ``SCHEMA`` (the JSON Schema of its parameters,
part of ``steer schema guardrail``), ``compile(check, parameters)`` (validate and
precompile a guardrail's ``check`` once per run) and ``check(compiled, guardrail,
context)`` (yield :class:`~steer.results.findings.Hit` objects); together they meet
:class:`steer.checks.kinds.base.CheckKind`. The registry is kept outside the kinds,
in :mod:`steer.checks.registry`.
"""
