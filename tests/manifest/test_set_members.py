"""``--set`` through a map keyed by id (components, flows, approvals) names a member
that exists: a typo in the id is "no such component, did you mean", never a new,
half-written component reported as "missing required field 'kind'"."""

from __future__ import annotations

from pathlib import Path

import pytest

from steer.errors import UsageError
from steer.manifest.assign import KEYED, assignment_patch
from support import AS_OF, clean, cwd, run

DATA = {
    "components": {"telematics-store": {"kind": "datastore"}, "api": {"kind": "service"}},
    "flows": {"store-to-api": {"from": "telematics-store", "to": "api"}},
    "approvals": {"icp-web": {"type": "icp-filing", "status": "approved"}},
}


@pytest.mark.parametrize(
    ("flag", "what", "near"),
    [
        ("components.telematics-stor.location.region=cn-beijing", "component", "telematics-store"),
        ("flows.store-to-ap.mechanism=batch", "flow", "store-to-api"),
        ("approvals.icp-wbe.status=rejected", "approval", "icp-web"),
    ],
)
def test_a_misspelt_member_is_named_with_the_nearest(flag: str, what: str, near: str) -> None:
    with pytest.raises(UsageError) as caught:
        assignment_patch(DATA, flag)
    message = str(caught.value)
    missing = flag.split(".")[1]
    assert message.startswith(f"--set {flag}: there is no {what} '{missing}' in ")
    assert f"did you mean '{near}'" in message
    assert "missing required field" not in message


def test_with_nothing_near_the_members_are_listed() -> None:
    with pytest.raises(UsageError, match=r"the components are: api, telematics-store\."):
        assignment_patch(DATA, "components.zzz.kind=service")
    with pytest.raises(UsageError, match=r"the manifest has no flows\."):
        assignment_patch({"components": {}, "flows": {}}, "flows.x.mechanism=api")


def test_a_long_list_of_members_is_cut() -> None:
    many = {"components": {f"c{i:02d}": {"kind": "service"} for i in range(20)}}
    with pytest.raises(UsageError, match=r"c07 and 12 more\."):
        assignment_patch(many, "components.zzzzzz.kind=service")


def test_existing_members_and_whole_new_ones_still_work() -> None:
    patch = assignment_patch(DATA, "components.telematics-store.location.region=cn-beijing")
    assert patch == {"components": {"telematics-store": {"location": {"region": "cn-beijing"}}}}
    # a new member is added by setting it whole
    patch = assignment_patch(DATA, "components.new-db={kind: datastore}")
    assert patch == {"components": {"new-db": {"kind": "datastore"}}}
    # and removed with null
    assert assignment_patch(DATA, "flows.store-to-api=null") == {"flows": {"store-to-api": None}}
    assert set(KEYED) == {"components", "flows", "approvals"}


def test_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(clean(), encoding="utf-8")
    with cwd(tmp_path):
        code, out, err = run(
            ["check", "m.yaml", "--as-of", AS_OF, "--set", "components.customer-dbb.data=[]"]
        )
    assert (code, out) == (2, "")
    assert err == (
        "steer: --set components.customer-dbb.data=[]: there is no component 'customer-dbb' in "
        "components; did you mean 'customer-db' (components.customer-db.data)? To add one, set "
        "it whole: --set components.customer-dbb='{...}'\n"
    )
