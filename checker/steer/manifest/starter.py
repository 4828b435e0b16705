"""``steer init``: a commented starter manifest that passes the schema."""

from __future__ import annotations

import datetime as dt

STARTER = """\
# steer deployment manifest (format version 1).
# Describe what runs where, the data it holds, how data moves and which approvals
# you hold; then run: steer check {name}
# Reference: steer schema (JSON Schema), steer rules, steer explain RULE_ID.
version: 1
name: my-china-platform
description: Starter manifest; replace the examples with your deployment

organisation:
  ciio: false                 # critical information infrastructure operator?
  pi_subjects: 50000          # individuals whose personal data you handle in mainland China

programme:
  go_live: {go_live}            # about half a year from today

policy:
  packs: [cn]
  regime: auto                # the law in force on the date judged (CAC Order 16 since
                              # 2024-03-22); or pin cn-2022 / cn-2024 for a what-if

components:
  customer-db:
    kind: datastore
    location: {{provider: alibaba-cloud, region: cn-shanghai}}   # jurisdiction CN from the catalog
    data:
      - {{category: personal, subjects: CN, records: 50000}}
  web:
    kind: service
    location: {{provider: alibaba-cloud, region: cn-shanghai}}
    data:
      - {{category: personal, subjects: CN}}   # what it processes, even if it stores nothing
    internet_facing: true
    domains: [example.com.cn]
    cdn: alibaba-cloud
    approvals: [icp-web, psb-web]
    depends_on: [customer-db]
  mini-program:
    kind: channel
    channel: wechat-mini-program
    audience: [customer, dealer]
    primary: true
    payments: [wechat-pay]
    approvals: [mp-review, icp-mp]

flows:
  web-to-db:
    from: web
    to: customer-db
    data: [personal]
    mechanism: api

approvals:
  icp-web:
    type: icp-filing
    status: approved
    approved_on: {approved_on}
    reference: 沪ICP备{year}000001号-1
    provider: alibaba-cloud
    domains: [example.com.cn]
  icp-mp:
    type: icp-filing            # mini programs are filed through the WeChat platform
    status: submitted
    submitted: {submitted}
  psb-web:
    type: psb-filing
    status: planned
  mp-review:
    type: mini-program-review
    status: planned

operations:
  coverage: 24x7
  incident_response: local
  model: undecided
  team:
    - {{role: ops-engineer, count: 2, location: CN}}
    - {{role: compliance-officer, count: 1, location: CN}}

# waivers:
#   - rule: CN-INT-001
#     target: components.some-app
#     reason: why this is acceptable for now
#     owner: regional-architect
#     expires: {waiver_expires}
"""


def starter_text(name: str = "steer.yaml", today: dt.date | None = None) -> str:
    """The starter, dated around ``today`` so that ``steer check`` accepts it as written."""
    day = today or dt.date.today()
    return STARTER.format(
        name=name,
        go_live=(day + dt.timedelta(days=182)).isoformat(),
        approved_on=(day - dt.timedelta(days=14)).isoformat(),
        year=(day - dt.timedelta(days=14)).year,
        submitted=(day - dt.timedelta(days=7)).isoformat(),
        waiver_expires=(day + dt.timedelta(days=90)).isoformat(),
    )
