"""Waivers: a finding excused by rule (and target), with a reason, an owner and an
expiry. A waived finding is reported as waived and never fails the run; an expired
waiver no longer applies and is itself reported, as is one that excuses nothing.

The target of a STEER-IAC waiver may also be the finding's resource (an address of
the plan, or the ``resources`` entry of STEER-IAC-003): one resource excused, not
every finding of its target."""

from __future__ import annotations

import dataclasses

from steer.errors import Mark
from steer.manifest.model import Manifest
from steer.results.findings import Finding
from steer.results.own_rules import WAIVER_RULE, own_note


def apply_waivers(
    findings: list[Finding], manifest: Manifest, as_of: str, evaluated: set[str]
) -> list[Finding]:
    out = list(findings)
    for i, waiver in enumerate(manifest.waivers):
        rule, target = waiver["rule"], waiver.get("target")
        expired = waiver["expires"] < as_of
        where = manifest.mark(("waivers", i))
        if expired:
            out.append(
                _meta(
                    "manifest",
                    where,
                    f"waiver of {rule}{' for ' + target if target else ''} (owner "
                    f"{waiver['owner']}) expired on {waiver['expires']} and no longer applies",
                    "Renew the waiver with a new expiry and a reason, or fix the findings "
                    "it excused.",
                )
            )
            continue
        if rule not in evaluated:
            continue
        used = False
        for j, f in enumerate(out):
            if f.rule == rule and not f.waived and target in (None, f.target, f.resource):
                reason = f"{waiver['reason']} (owner {waiver['owner']}, until {waiver['expires']})"
                out[j] = dataclasses.replace(f, waived=True, waiver=reason)
                used = True
        if not used:
            out.append(
                _meta(
                    "manifest",
                    where,
                    f"waiver of {rule}{' for ' + target if target else ''} excuses no finding; "
                    "remove it",
                    "Delete waivers that no longer excuse anything, so that they cannot hide a "
                    "future finding.",
                )
            )
    return out


def _meta(target: str, where: Mark, message: str, remediation: str) -> Finding:
    return own_note(WAIVER_RULE, target, where, message, remediation)
