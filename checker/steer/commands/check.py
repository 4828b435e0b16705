"""``steer check``: every manifest checked (a broken one reported, the others still
checked), the baseline applied, each report written; returns the exit code."""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from steer import engine
from steer.commands.common import display_path, emit, pack_flags, parse_date, project_path
from steer.commands.output import Inputs, write_atomic
from steer.commands.progress import progress
from steer.errors import Mark, SteerError, UsageError
from steer.loading.decode import STDIN, STDIN_NAME
from steer.loading.discover import DEFAULT_GLOBS, discover, resolved
from steer.manifest.load import load_manifest
from steer.manifest.scenario import apply, load_base, load_scenario
from steer.reporters import render, step_summary
from steer.results.baseline import Baseline
from steer.results.baseline import apply as apply_baseline
from steer.results.baseline import load as load_baseline
from steer.results.findings import Report
from steer.vocab import plural


@dataclass(frozen=True)
class CheckOptions:
    manifests: tuple[Path, ...]
    packs: tuple[str, ...] = ()
    format: str = "table"
    output: Path | None = None
    fail_on: str = "error"
    strict: bool = False
    as_of: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    color: bool = False
    scenario: Path | None = None  # --scenario FILE: check with this what-if applied
    sets: tuple[str, ...] = ()  # --set PATH=VALUE, applied after the scenario
    extra: dict[str, object] = field(default_factory=dict)
    outputs: tuple[tuple[str, Path], ...] = ()  # --format NAME:FILE: more reports, one a file
    baseline: Path | None = None  # --baseline FILE: report only findings not in it
    write_baseline: Path | None = None  # --write-baseline FILE: record today's findings
    manifest_globs: tuple[str, ...] = DEFAULT_GLOBS  # what folders expand to
    exclude: tuple[str, ...] = ()
    root: Path | None = None  # project root (configuration folder) the globs are relative to
    progress: bool | None = None  # None: a bar on a terminal when many manifests are checked
    quiet: bool = False  # --quiet: the findings only (no summary, no notes)
    terraform: tuple[Path, ...] = ()  # --terraform FILE: plans and states to compare with
    # where the configuration file sets these (None: the command line or the default):
    # an error in them is blamed on the file's line, not on a flag
    origins: dict[str, Mark] = field(default_factory=dict)
    config: Path | None = None  # the configuration file read (never written to)


def check(options: CheckOptions) -> int:
    """Check every manifest (a broken one is reported and the others still checked),
    apply the baseline, write each report; exit 2 if a manifest could not be checked."""

    as_of = parse_date(options.as_of)
    known = None
    # read first: a bad baseline stops the run before any work; but the very first
    # --write-baseline of a configured baseline must not need the file it creates
    first = options.write_baseline is not None and options.baseline is not None
    if options.baseline is not None and not (first and not options.baseline.exists()):
        origin = options.origins.get("baseline")
        known = load_baseline(
            options.baseline,
            project_path(options.baseline, options.root),
            ("baseline", origin) if origin is not None else ("--baseline", None),
        )
    paths, notes = discover(
        options.manifests, options.manifest_globs, options.exclude, options.root
    )
    inputs = _inputs(options, paths)
    _check_targets(options, inputs)
    page = HTML in _formats(options)
    if page and len(paths) > 1:
        raise UsageError(ONE_PAGE.format(n=len(paths)))
    for note in notes if not options.quiet else ():
        sys.stderr.write(f"steer: {note}\n")
    scenario = None
    if options.scenario is not None:
        scenario = load_scenario(options.scenario, display_path(options.scenario))
        as_of = scenario.as_of or as_of  # the scenario's date wins over --as-of
    settings = engine.Settings(
        as_of=as_of,
        strict=options.strict,
        select=options.select,
        ignore=options.ignore,
        infrastructure=engine.read_infrastructure(
            options.terraform, [project_path(p, options.root) for p in options.terraform]
        ),
        architecture=page,  # what the HTML report draws; other formats never build it
        select_from=options.origins.get("select"),
        ignore_from=options.origins.get("ignore"),
    )
    # every pack exists, for every manifest, before any is checked
    bases = sorted({p.parent for p in paths})
    pack_flags(options.packs, bases, options.origins.get("packs"), inputs)
    reports = []
    broken: list[str] = []
    unchecked: list[tuple[int, str, str]] = []  # (place among paths, name, error)
    with progress(len(paths), False if options.quiet else options.progress) as ticker:
        for place, path in enumerate(paths):
            try:
                shown = STDIN_NAME if str(path) == STDIN else project_path(path, options.root)
                if scenario is not None or options.sets:
                    packs = list(options.packs) or None
                    manifest, source = load_base(path, shown, packs)
                    manifest = apply(manifest, scenario, options.sets, packs, path.parent, source)
                else:
                    manifest = load_manifest(path, shown, list(options.packs) or None)
                inputs.add_packs(manifest.packs)
                reports.append(engine.run(manifest, settings))
            except UsageError:
                raise  # bad flags are no manifest's fault: stop at once
            except SteerError as exc:  # this manifest is broken; the others are still checked
                if str(exc) not in broken:  # a broken --pack would repeat for every manifest
                    ticker.error(str(exc) if exc.file else f"steer: {shown}: {exc}")
                broken.append(str(exc))
                unchecked.append((place, shown, str(exc)))
            ticker.advance(project_path(path, options.root))
    several = unchecked if len(paths) > 1 else None  # JSON: always {"reports": [...]}
    return finish(options, reports, inputs, known, broken=bool(broken), unchecked=several)


HTML = "html"
ONE_PAGE = (
    "--format html: a page shows one manifest, and {n} manifests are checked; check "
    "them one at a time (steer check MANIFEST --format html --output PAGE.html)"
)


def _formats(options: CheckOptions) -> tuple[str, ...]:
    """Every report format the run writes: the console's and each NAME:FILE."""
    return (options.format, *(name for name, _ in options.outputs))


CONFIG_FILES = (".steer.toml", "pyproject.toml")


def _inputs(options: CheckOptions, paths: list[Path]) -> Inputs:
    """Every file the run reads (the packs' folders are added as they are found)."""
    baseline = "the baseline" if "baseline" in options.origins else "the --baseline file"
    # where a configuration lives is read to look for one (and is the next run's)
    places = [options.config.parent] if options.config is not None else []
    places += [options.root] if options.root is not None else []
    candidates = [folder / name for folder in places for name in CONFIG_FILES]
    return (
        Inputs()
        .add(options.config, "the configuration")
        .add(candidates, "a configuration file")
        .add(paths, "a manifest")
        .add(options.terraform, "a --terraform file")
        .add(options.scenario, "the --scenario file")
        .add(options.baseline, baseline)
    )


def _targets(options: CheckOptions) -> list[tuple[str, Path, Mark | None]]:
    """Every file the run writes: who writes it (as messages name it), where, and
    where that is configured."""
    configured = options.origins.get("format")
    targets: list[tuple[str, Path, Mark | None]] = [
        (
            f"{'format' if configured else '--format'} {name}:{display_path(p)}",
            p,
            configured,
        )
        for name, p in options.outputs
    ]
    if options.write_baseline is not None:
        shown = display_path(options.write_baseline)
        targets.append((f"--write-baseline {shown}", options.write_baseline, None))
    if options.output is not None:
        configured = options.origins.get("output")
        flag = "output" if configured else "--output"
        targets.append((f"{flag} {display_path(options.output)}", options.output, configured))
    return targets


def _check_targets(options: CheckOptions, inputs: Inputs) -> None:
    """Report files go to existing folders, one file each, never over an input:
    say so before checking, not after."""
    seen: dict[Path, str] = {}
    for flag, path, mark in _targets(options):
        key = resolved(path)  # a link loop: write_atomic says so
        if not path.parent.is_dir():
            raise UsageError(f"{flag}: folder {display_path(path.parent)} does not exist", mark)
        if key in seen:
            raise UsageError(f"{flag}: {seen[key]} writes the same file", mark)
        if flag.startswith("--write-") and options.baseline is not None:
            inputs.without(options.baseline).refuse(path, flag, mark)  # how it is updated
        else:
            inputs.refuse(path, flag, mark)
        seen[key] = flag
    _refuse_summary(options, inputs)


def _refuse_summary(options: CheckOptions, inputs: Inputs) -> None:
    """The job summary (appended to, and only a warning if it cannot be) is never
    one of the run's inputs either."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and "github" in _formats(options):
        inputs.refuse(Path(summary), f"GITHUB_STEP_SUMMARY {summary}")


def _label(options: CheckOptions, path: Path) -> tuple[str, Mark | None]:
    """Who writes ``path``, as messages name it."""
    for flag, target, mark in _targets(options):
        if target == path:
            return flag, mark
    return f"--output {display_path(path)}", None


def _output_label(options: CheckOptions) -> tuple[str | None, Mark | None]:
    if options.output is None:
        return None, None
    return _label(options, options.output)


def finish(
    options: CheckOptions,
    reports: list[Report],
    inputs: Inputs,
    known: Baseline | None,
    broken: bool,
    unchecked: list[tuple[int, str, str]] | None = None,
) -> int:
    """Record or apply the baseline, write every report, and decide the exit code.

    ``unchecked``: several manifests were named, and these could not be checked (the
    JSON reports list them in their places, cli.md); None for one manifest."""

    if options.write_baseline is not None:
        if broken:  # a baseline without a broken manifest's findings would hide them later
            sys.stderr.write(
                f"steer: baseline {options.write_baseline} not written: "
                "a manifest could not be checked\n"
            )
        else:
            target = options.write_baseline
            updating = inputs.without(options.baseline) if options.baseline else inputs
            write_atomic(target, render("json", reports), updating, *_label(options, target))
            count = sum(not f.waived for r in reports for f in r.findings)
            if not options.quiet:
                sys.stderr.write(
                    f"steer: wrote baseline {display_path(options.write_baseline)}: "
                    f"{plural(count, 'finding')} in {plural(len(reports), 'manifest')}\n"
                )
    if not reports and unchecked is None:
        return 2  # nothing could be checked: the errors on stderr are the whole story
    if known is not None:
        reports = apply_baseline(reports, known)
    reports = [dataclasses.replace(r, fail_on=options.fail_on) for r in reports]
    # several named and none checked: only the JSON reports have something to say
    only_json = not reports
    if not only_json or options.format == "json":
        color = options.color and options.output is None
        text = render(options.format, reports, color, quiet=options.quiet, unchecked=unchecked)
        emit(text, options.output, inputs, *_output_label(options))
    for name, target in options.outputs:
        if not only_json or name == "json":
            text = render(name, reports, unchecked=unchecked)
            write_atomic(target, text, inputs, *_label(options, target))
    if not reports:
        return 2
    if "github" in _formats(options):
        _refuse_summary(options, inputs)  # again: a manifest's packs are known only now
        try:
            step_summary(reports)
        except OSError as exc:  # the check ran: a summary we cannot write is a warning
            sys.stderr.write(f"steer: warning: cannot append to GITHUB_STEP_SUMMARY: {exc}\n")
    if broken:
        return 2
    if options.write_baseline is not None:
        return 0  # today's findings are accepted: that is what writing a baseline means
    return 1 if any(r.failed(options.fail_on) for r in reports) else 0
