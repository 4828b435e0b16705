"""``--format github``: GitHub Actions workflow commands, one annotation a finding.

``::error file=…,line=…,col=…,title=…::message`` for errors, ``::warning`` for
warnings and ``::notice`` for waived findings (and for baseline entries now fixed).
Values are escaped as the Actions runner expects: ``%``, CR and LF in the message;
also ``:`` and ``,`` in properties. The runner shows at most 10 annotations of each
kind per step, so the command also writes a Markdown summary (the ``markdown``
format) to ``$GITHUB_STEP_SUMMARY`` when that is set: see :func:`step_summary`."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from steer.reporters.check.markdown import render as markdown
from steer.reporters.shown import shown
from steer.results.findings import Finding, Report
from steer.vocab import plural


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: str | int) -> str:
    params = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return (
        f"::{kind} {params}::{escape_data(message)}"
        if params
        else f"::{kind}::{escape_data(message)}"
    )


def render(reports: Sequence[Report], color: bool = False, quiet: bool = False) -> str:
    """The annotations, and a summary line a manifest (not with ``quiet``)."""
    lines: list[str] = []
    for report in shown(list(reports)):
        for f in report.findings:
            lines.append(_annotation(f))
        b = report.baseline
        if b is not None:
            for e in b.fixed:
                lines.append(
                    command(
                        "notice",
                        f"fixed since baseline {b.file}: {e.target}: {e.message}\n"
                        "Update the baseline with --write-baseline.",
                        file=report.manifest,
                        line=e.line,
                        title=f"{e.rule} fixed",
                    )
                )
        if quiet:
            continue
        s = report.summary()
        known = f", {b.known} known (baseline {b.file})" if b is not None else ""
        lines.append(
            f"steer: {report.manifest}: {plural(s['error'], 'error')}, "
            f"{plural(s['warning'], 'warning')}, {s['waived']} waived, "
            f"{s['passed_rules']} of {plural(len(report.rules), 'rule')} passed{known}"
        )
    return "\n".join(lines) + "\n" if lines else ""


def _annotation(f: Finding) -> str:
    kind = "notice" if f.waived else ("error" if f.level == "error" else "warning")
    message = f"{f.target}: {f.message}"
    if f.path:
        message += "\nPath: " + " → ".join(f.path)
    if f.waived:
        message += f"\nWaived: {f.waiver}"
    else:
        message += f"\nFix: {f.remediation}"
    title = f"{f.rule} ({f.authority}, {f.severity}, {f.status}): {f.title}"
    return command(
        kind,
        message,
        file=f.location.file,
        line=f.location.line,
        col=f.location.column,
        title=title,
    )


def step_summary(
    reports: Sequence[Report], environ: Mapping[str, str] | None = None
) -> Path | None:
    """Append the Markdown report to the job summary when running in GitHub Actions.

    Returns the file written, or None outside Actions. The runner creates the file;
    appending keeps what earlier steps wrote."""
    env = os.environ if environ is None else environ
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None

    path = Path(target)
    with path.open("a", encoding="utf-8") as handle:  # OSError: the caller warns and goes on
        handle.write(markdown(reports) + "\n")
    return path
