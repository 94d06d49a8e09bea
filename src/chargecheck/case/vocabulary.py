"""The case file's vocabularies that the rule set defines: offences and behaviours.

GENERATED from rules/offences.yaml and rules/behaviours.yaml by
`python -m chargecheck.cli.regenerate`; do not edit by hand (tests/test_vocabulary.py).
"""

from typing import Literal

OffenceId = Literal[
    "pha-s2", "pha-s2a", "pha-s4", "pha-s4a", "cda-s32-1a", "cda-s32-1b", "sca-s76",
    "sca-s75a", "oapa-s16", "mca-s1", "ca-s127", "osa-s179", "osa-s181", "cda-s1", "breach-ro",
    "breach-spo", "breach-nmo", "breach-injunction", "breach-dapo", "soa-s66b", "cjca-s33",
]

Behaviour = Literal[
    "following", "contacting", "publishing", "monitoring-communications", "loitering",
    "interfering-with-property", "watching", "turning-up", "sending-gifts",
    "contacting-third-parties", "tracking", "account-access", "impersonation",
    "intimate-images", "vexatious-reports", "ordering-goods", "threats", "threat-of-violence",
    "threat-to-kill", "threat-of-sexual-violence", "violence", "strangulation",
    "property-damage", "weapon", "suicide-threat", "enlisting-others", "breach-of-order",
    "controlling-behaviour", "abuse",
]
