"""Properties of the transfer decision over generated crossings (hypothesis).

- More individuals (a larger volume, a larger holding, one more crossing) never
  lowers any crossing's mechanism.
- Declaring an exemption never raises any crossing's mechanism.
- ``decide`` is deterministic and does not depend on the order of its input.
- The thresholds are the law's step functions, inclusive at the top.
- Every decision is coherent: a PIPIA exactly when PI crosses, consent only then,
  the policy never below the law, an honoured exemption means no mechanism by law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from steer.analysis.decision import (
    ASSESSMENT,
    CONTRACT,
    MECHANISMS,
    NONE,
    CrossingDecision,
    CrossingInput,
    Handler,
    Holding,
    decide,
    mechanism_rank,
    strictest,
)
from steer.analysis.regimes import Regime, load_regimes

PARAMETERS = Path(__file__).resolve().parents[2] / "guardrails" / "cn" / "parameters.yaml"
REGIMES = load_regimes(yaml.safe_load(PARAMETERS.read_text(encoding="utf-8")))
VARIANTS: list[Regime] = [
    *REGIMES,
    REGIMES.get("cn-2024").with_overrides({"exemptions_apply": False}),
    REGIMES.get("cn-2024").with_overrides({"exemption_basis_waives_consent": False}),
    REGIMES.get("cn-2022").with_overrides({"contract_personal_threshold": 50_000}),
]
EXEMPTIONS = [*REGIMES.get("cn-2024").exemptions, "not-an-exemption"]
HOLDING_IDS = ["owner-db", "dealer-db", "telematics", "hr-db"]
VOLUMES = st.one_of(
    st.none(),
    st.sampled_from([0, 1, 9_999, 10_000, 99_999, 100_000, 999_999, 1_000_000]),
    st.integers(0, 2_500_000),
)
SIZES = st.one_of(st.none(), st.integers(0, 2_500_000))
DATES = st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31))


@st.composite
def crossings(draw: st.DrawFn, exemptions: bool = True) -> tuple[CrossingInput, ...]:
    sizes = {h: draw(SIZES) for h in HOLDING_IDS}
    flows = draw(st.lists(st.sampled_from([f"f{i}" for i in range(8)]), unique=True, max_size=6))
    out = []
    for flow in flows:
        held = draw(st.lists(st.sampled_from(HOLDING_IDS), unique=True, max_size=2))
        out.append(
            CrossingInput(
                flow=flow,
                since=draw(DATES),
                holdings=tuple(Holding(h, sizes[h]) for h in held),
                records_per_year=draw(VOLUMES),
                carries_non_sensitive_personal=draw(st.booleans()),
                carries_sensitive=draw(st.booleans()),
                carries_important_by_law=draw(st.booleans()),
                carries_important_by_policy=draw(st.booleans()),
                exemption=draw(st.one_of(st.none(), st.sampled_from(EXEMPTIONS)))
                if exemptions
                else None,
            )
        )
    return tuple(out)


HANDLERS = st.builds(Handler, st.booleans(), st.one_of(st.none(), st.integers(0, 2_500_000)))
REGIME = st.sampled_from(VARIANTS)


def _ranks(decisions: dict[str, CrossingDecision]) -> dict[str, tuple[int, int]]:
    return {
        f: (mechanism_rank(d.requires), mechanism_rank(d.requires_by_law))
        for f, d in decisions.items()
    }


def _put(
    items: tuple[CrossingInput, ...], i: int, crossing: CrossingInput
) -> tuple[CrossingInput, ...]:
    return tuple(crossing if j == i else c for j, c in enumerate(items))


def _resize(items: tuple[CrossingInput, ...], holding: str, more: int) -> tuple[CrossingInput, ...]:
    """Every crossing drawing on ``holding`` sees it hold ``more`` individuals more."""

    def grown(h: Holding) -> Holding:
        if h.id != holding or h.individuals is None:
            return h
        return Holding(h.id, h.individuals + more)

    return tuple(replace(c, holdings=tuple(grown(h) for h in c.holdings)) for c in items)


@given(crossings(), HANDLERS, REGIME, DATES, st.data())
def test_more_individuals_never_lower_the_mechanism(
    items: tuple[CrossingInput, ...], handler: Handler, regime: Regime, as_of: dt.date, data: Any
) -> None:
    before = _ranks(decide(items, handler, regime, as_of))
    more = data.draw(st.integers(1, 1_500_000), label="more")
    how = data.draw(st.sampled_from(["volume", "holding", "crossing"]), label="how")
    if how == "volume" and items:
        i = data.draw(st.integers(0, len(items) - 1), label="which")
        r = items[i].records_per_year
        # from unknown to a number is not "more": an unknown volume stays unknown
        grown = items if r is None else _put(items, i, replace(items[i], records_per_year=r + more))
    elif how == "holding":
        grown = _resize(items, data.draw(st.sampled_from(HOLDING_IDS), label="holding"), more)
    else:
        extra = data.draw(crossings(exemptions=False), label="extra")
        taken = {c.flow for c in items}
        sizes = {h.id: h.individuals for c in items for h in c.holdings}
        added = [
            replace(
                c,
                flow=f"new-{c.flow}",
                holdings=tuple(Holding(h.id, sizes.get(h.id, h.individuals)) for h in c.holdings),
            )
            for c in extra
            if f"new-{c.flow}" not in taken
        ]
        grown = items + tuple(added)
    after = _ranks(decide(grown, handler, regime, as_of))
    for flow, (requires, by_law) in before.items():
        assert after[flow][0] >= requires, flow
        assert after[flow][1] >= by_law, flow


@given(crossings(exemptions=False), HANDLERS, REGIME, DATES, st.data())
def test_declaring_an_exemption_never_raises_the_mechanism(
    items: tuple[CrossingInput, ...], handler: Handler, regime: Regime, as_of: dt.date, data: Any
) -> None:
    if not items:
        return
    before = _ranks(decide(items, handler, regime, as_of))
    i = data.draw(st.integers(0, len(items) - 1), label="which")
    exemption = data.draw(st.sampled_from(EXEMPTIONS), label="exemption")
    declared = _put(items, i, replace(items[i], exemption=exemption))
    after = _ranks(decide(declared, handler, regime, as_of))
    for flow, (requires, by_law) in before.items():
        assert after[flow][0] <= requires, flow
        assert after[flow][1] <= by_law, flow


@given(crossings(), HANDLERS, REGIME, DATES, st.randoms(use_true_random=False))
def test_decide_is_deterministic_and_order_independent(
    items: tuple[CrossingInput, ...], handler: Handler, regime: Regime, as_of: dt.date, rnd: Any
) -> None:
    first = decide(items, handler, regime, as_of)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    again = decide(shuffled, handler, regime, as_of)
    assert again == first
    assert list(again) == list(first) == sorted(c.flow for c in items)


NON_SENSITIVE = st.one_of(
    st.sampled_from([99_999, 100_000, 999_999, 1_000_000]), st.integers(0, 3_000_000)
)
SENSITIVE = st.one_of(st.sampled_from([0, 1, 9_999, 10_000]), st.integers(0, 30_000))


@given(NON_SENSITIVE, st.booleans())
def test_non_sensitive_thresholds_are_the_laws_steps(n: int, last_year_law: bool) -> None:
    crossing = CrossingInput(
        flow="a", since=dt.date(2026, 2, 1), records_per_year=n, carries_non_sensitive_personal=True
    )
    handler = Handler(ciio=False, pi_subjects=500_000)
    regime = REGIMES.get("cn-2022" if last_year_law else "cn-2024")
    got = decide((crossing,), handler, regime, dt.date(2026, 12, 2))["a"].requires
    if last_year_law:  # CAC Order 11 art. 4(3): 100,000 or more
        assert got == (ASSESSMENT if n >= 100_000 else CONTRACT)
    else:  # CAC Order 16 art. 5(4), 8, 7(2)
        assert got == (ASSESSMENT if n >= 1_000_000 else CONTRACT if n >= 100_000 else NONE)


@given(SENSITIVE, st.sampled_from(["cn-2022", "cn-2024"]))
def test_sensitive_thresholds_are_the_laws_steps(n: int, name: str) -> None:
    crossing = CrossingInput(
        flow="s", since=dt.date(2026, 2, 1), records_per_year=n, carries_sensitive=True
    )
    got = decide((crossing,), Handler(False, 500_000), REGIMES.get(name), dt.date(2026, 12, 2))
    assert got["s"].requires == (ASSESSMENT if n >= 10_000 else CONTRACT)


@given(crossings(), HANDLERS, REGIME, DATES)
def test_every_decision_is_coherent(
    items: tuple[CrossingInput, ...], handler: Handler, regime: Regime, as_of: dt.date
) -> None:
    decisions = decide(items, handler, regime, as_of)
    for c in items:
        d = decisions[c.flow]
        assert d.requires in MECHANISMS and d.requires_by_law in MECHANISMS
        assert d.pipia_required == c.carries_personal  # PIPL art. 55, exempt or not
        assert not d.consent_required or c.carries_personal
        assert mechanism_rank(d.requires) >= mechanism_rank(d.requires_by_law)
        assert not (d.exemption and d.exemption_refused)
        assert (d.exemption_refused is not None) == (c.exemption is not None and not d.exemption)
        assert d.basis and all(isinstance(b, str) and b for b in d.basis)
        if d.exemption is not None:
            assert d.requires_by_law == NONE
            assert not c.carries_important_by_law
        elif c.carries_important_by_law or (handler.ciio and c.carries_personal):
            assert d.requires_by_law == ASSESSMENT
        if c.carries_important_by_policy:
            assert d.requires == ASSESSMENT
        sizes = [h.individuals for h in c.holdings]
        if d.individuals is not None and c.holdings and None not in sizes:
            assert d.individuals <= sum(s for s in sizes if s is not None)


def test_mechanism_order() -> None:
    assert [mechanism_rank(m) for m in (NONE, CONTRACT, ASSESSMENT)] == [0, 1, 2]
    assert strictest([CONTRACT, NONE]) == CONTRACT
    assert strictest([]) == NONE
