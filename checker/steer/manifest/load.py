"""The deployment manifest: loaded, validated against its schema and the packs'
vocabulary, and checked for referential integrity. Nothing here knows a guardrail."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

from steer import vocab
from steer.errors import ManifestError, Mark, PackError
from steer.loading.document import Document, JsonPath
from steer.loading.parse import load_file
from steer.loading.validate import dotted, is_valid, validate
from steer.manifest.model import Manifest
from steer.manifest.schema import manifest_schema
from steer.packs.loader import load_packs, resolve_pack
from steer.packs.model import PackSet

AUTO = "auto"  # policy.regime: the regime in force on the as-of date


def _error(message: str, mark: Mark | None) -> ManifestError:
    return ManifestError(message, mark)


def load_manifest(
    path: Path,
    display: str | None = None,
    packs: list[str] | None = None,
    doc: Document | None = None,
) -> Manifest:
    """Load and validate a manifest; raise located errors for anything wrong."""
    if doc is None:
        doc = load_file(path, display)
    return build_manifest(doc, packs, base=path.parent)


def build_manifest(
    doc: Document, packs: list[str] | None = None, base: Path | None = None
) -> Manifest:
    data = doc.data
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r})"
        raise ManifestError(
            f"(document): got {kind}; expected a manifest mapping (version, name, components, ...)",
            doc.mark(),
        )
    _check_version(doc)
    policy = data.get("policy")
    from_manifest = _pack_names(policy if isinstance(policy, dict) else {})
    names = packs or from_manifest or list(vocab.DEFAULT_PACKS)
    if not packs and from_manifest:
        _locate_packs(doc, from_manifest, base)
    packset = load_packs(names, base=base)
    validate(doc, manifest_schema(list(packset.taxonomy)), f"manifest:{','.join(names)}", _error)
    _check_references(doc)
    regime, parameters = _check_policy(doc, packset)
    _check_waivers(doc, packset)
    _check_dates(doc)
    # Valid: from here on, findings point only at element keys (and at the entries of
    # components' `resources`, which the infrastructure check names).
    marks = {name: doc.value_mark(("policy", "parameters", name)) for name in parameters}
    doc.compact(2, also=_RESOURCES if _names_resources(data) else ())
    return Manifest(doc, packset, regime, parameters, marks)


_RESOURCES = (("components", "resources"),)


def _names_resources(data: dict[str, Any]) -> bool:
    components = data.get("components") or {}
    return any("resources" in c for c in components.values())


def _check_version(doc: Document) -> None:
    """The format version comes first: nothing else can be judged without it."""
    data = doc.data
    if "version" not in data:
        raise ManifestError(
            "(document): missing required field 'version'; expected 'version: 1' "
            "(the manifest format version) at the top",
            doc.mark(),
        )
    version = data["version"]
    if version == 1 and type(version) is int:  # not True, not 1.0
        return
    if isinstance(version, str) and version.strip() == "1":
        problem = f"version: got the text {version!r}"
    elif isinstance(version, float) and version == 1:
        problem = f"version: got the number {version!r}, not the integer 1"
    else:
        problem = f"version: steer does not read format version {version!r}"
    raise ManifestError(
        f"{problem}; expected 1 (write 'version: 1'; 1 is the only format version so far)",
        doc.value_mark(("version",)),
    )


def _locate_packs(doc: Document, names: list[str], base: Path | None) -> None:
    """A pack the manifest names but that does not exist is an error at its line."""
    for i, name in enumerate(names):
        try:
            resolve_pack(name, base)
        except PackError as exc:
            raise ManifestError(
                f"policy.packs[{i}]: {exc.message}", doc.value_mark(("policy", "packs", i))
            ) from None


def _pack_names(policy: dict[str, Any]) -> list[str] | None:
    value = policy.get("packs")
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _check_references(doc: Document) -> None:
    data = doc.data
    components = data.get("components") or {}
    approvals = data.get("approvals") or {}

    def need(ids: Any, table: dict[str, Any], what: str, path: JsonPath) -> None:
        for i, ref in enumerate(ids or []):
            if ref not in table:
                raise ManifestError(
                    f"{dotted((*path, i))}: unknown {what} '{ref}'" + _known(ref, table, what),
                    doc.value_mark((*path, i)),
                )

    for cid, comp in components.items():
        need(comp.get("depends_on"), components, "component", ("components", cid, "depends_on"))
        need(comp.get("approvals"), approvals, "approval", ("components", cid, "approvals"))
        depends_on = comp.get("depends_on") or []
        if cid in depends_on:
            spot = ("components", cid, "depends_on", depends_on.index(cid))
            raise ManifestError(
                f"{dotted(spot)}: '{cid}' is the component itself; expected the id of "
                "another component it calls",
                doc.value_mark(spot),
            )
    for fid, flow in (data.get("flows") or {}).items():
        for end in ("from", "to"):
            ref = flow.get(end)
            if ref not in components:
                raise ManifestError(
                    f"flows.{fid}.{end}: unknown component '{ref}'"
                    + _known(ref, components, "component"),
                    doc.value_mark(("flows", fid, end)),
                )
        if flow["from"] == flow["to"]:
            raise ManifestError(
                f"flows.{fid}.to: '{flow['to']}' is also the flow's source; expected "
                "another component (a flow moves data from one component to another)",
                doc.value_mark(("flows", fid, "to")),
            )
        need(flow.get("approvals"), approvals, "approval", ("flows", fid, "approvals"))
    for aid, approval in approvals.items():
        need(approval.get("recipients"), components, "component", ("approvals", aid, "recipients"))


def _known(ref: Any, table: dict[str, Any], what: str) -> str:
    close = difflib.get_close_matches(str(ref), list(table), n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'? Expected the id of a declared {what}"
    if not table:
        return f"; expected the id of a declared {what}, but none is declared"
    return f"; expected the id of a declared {what}"


def _check_policy(doc: Document, packs: PackSet) -> tuple[str | None, dict[str, Any]]:
    policy = doc.data.get("policy") or {}
    regime = policy.get("regime") or packs.default_regime
    if regime is not None and regime != AUTO and regime not in packs.regimes:
        known = ", ".join([AUTO, *sorted(packs.regimes)])
        raise ManifestError(
            f"policy.regime: unknown regime '{regime}'; expected one of: {known} "
            f"({AUTO}: the regime in force on the as-of date)",
            doc.value_mark(("policy", "regime")),
        )
    overrides = policy.get("parameters") or {}
    for name, value in overrides.items():
        param = packs.parameters.get(name)
        if param is None:
            raise ManifestError(
                f"policy.parameters.{name}: unknown parameter '{name}'"
                + _known(name, dict(packs.parameters), "parameter").replace(
                    "a declared parameter", "a parameter of the packs"
                ),
                doc.mark(("policy", "parameters", name)),
            )
        if not is_valid(param.schema, value, f"param:{name}"):
            raise ManifestError(
                f"policy.parameters.{name}: got {value!r}; "
                f"expected {_describe_schema(param.schema)}",
                doc.value_mark(("policy", "parameters", name)),
            )
    return regime, dict(overrides)


def _describe_schema(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "a value")
    if kind == "array":
        return f"a list of {schema.get('items', {}).get('type', 'values')}s"
    names = {"integer": "an integer", "boolean": "true or false", "string": "a string"}
    text = names.get(kind, str(kind))
    low, high = schema.get("minimum"), schema.get("maximum")
    if kind in ("integer", "number") and low is not None and high is not None:
        return f"{text} from {low} to {high}"
    if kind in ("integer", "number") and low is not None:
        return f"{text} of at least {low}"
    if kind in ("integer", "number") and high is not None:
        return f"{text} of at most {high}"
    return text


def _check_waivers(doc: Document, packs: PackSet) -> None:
    for i, waiver in enumerate(doc.data.get("waivers") or []):
        rule = waiver["rule"]
        if rule not in packs.by_id and rule not in vocab.INFRA_RULES:  # steer's own: waivable
            known = {**packs.by_id, **dict.fromkeys(vocab.INFRA_RULES)}
            raise ManifestError(
                f"waivers[{i}].rule: no guardrail '{rule}' in the packs"
                + _known(rule, known, "guardrail").replace(
                    "a declared guardrail", "a guardrail of the packs (see steer rules)"
                ),
                doc.value_mark(("waivers", i, "rule")),
            )


def _check_dates(doc: Document) -> None:
    """The schema checks the form YYYY-MM-DD; this checks the date exists."""
    data = doc.data
    spots: list[JsonPath] = [("programme", "go_live")]
    for cid, comp in (data.get("components") or {}).items():
        if "launch" in comp:
            spots.append(("components", cid, "launch"))
    for fid, flow in (data.get("flows") or {}).items():
        if "since" in flow:
            spots.append(("flows", fid, "since"))
    for aid, approval in (data.get("approvals") or {}).items():
        keys = ("submitted", "approved_on", "expires", "effective")
        spots.extend(("approvals", aid, k) for k in keys if k in approval)
    spots.extend(("waivers", i, "expires") for i in range(len(data.get("waivers") or [])))
    for spot in spots:
        value = _lookup(data, spot)
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ManifestError(
                    f"{dotted(spot)}: '{value}' is not a real date ({exc}); "
                    "expected a calendar date as YYYY-MM-DD",
                    doc.value_mark(spot),
                ) from None
            problem = vocab.out_of_range(value)
            if problem is not None:
                raise ManifestError(f"{dotted(spot)}: {problem}", doc.value_mark(spot))


def _lookup(data: Any, spot: JsonPath) -> Any:
    value = data
    for part in spot:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value
