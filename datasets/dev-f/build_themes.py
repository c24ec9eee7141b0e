#!/usr/bin/env python3
"""Regenerate themes.json from labels.jsonl; the mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = [
    ('retry-loop-multiplies-brief-stall',
     'A stall of a few seconds in one component is met by clients that retry at once, without backoff or jitter '
     'and often at several layers, so the retried load keeps the component saturated long after the stall ended.'),
    ('abandoned-reader-pins-retained-data',
     'A reader that was retired or removed (replication slot, queue bound to an exchange, stream consumer group) '
     'is still registered, so the technology keeps every record for it until storage or memory runs out.'),
    ('shared-setting-applied-to-every-cluster',
     'One setting meant for one cluster or workload is changed in a shared module, parameter group, policy or '
     'playbook and lands on every cluster at once, including ones it does not fit.'),
    ('per-process-pool-times-fleet-size',
     'Each process opens its own fixed pool of connections, and scaling the fleet out multiplies the total past '
     'the server-side connection limit that nobody re-derived.'),
    ('promoted-replica-missing-acked-writes',
     'Writes acknowledged by the old primary had not reached the replica that was promoted, so failover '
     'silently discarded them.'),
    ('restart-next-node-before-resync',
     'A rolling restart or upgrade moves to the next node on a timer instead of waiting for the previous one '
     'to rejoin and catch up, so too few in-sync copies remain and data becomes unavailable.'),
    ('server-upgrade-flips-a-default',
     'A version upgrade of the server changes a default (permission, collation, ACL) that the applications '
     'silently relied on, and the first affected operation fails after the upgrade.'),
    ('single-record-outgrows-hard-size-limit',
     'One record that grows with use (an item, a znode child list, a message batch, a document) crosses a fixed '
     'per-record size limit of the technology and every write or read of it fails.'),
]

labels = [json.loads(x) for x in open(os.path.join(HERE, 'labels.jsonl')) if x.strip()]
themes = []
for tid, mech in MECHANISMS:
    mem = [l for l in labels if tid in l['themes']]
    techs = []
    for l in mem:
        techs += [c for c in l['causal'] if c not in techs]
    common = [c for c in techs if all(c in l['causal'] for l in mem)]
    themes.append({'id': tid, 'mechanism': mech, 'technologies': techs,
                   'crossTechnology': len(techs) >= 2 and not common, 'members': [l['id'] for l in mem]})
with open(os.path.join(HERE, 'themes.json'), 'w') as f:
    json.dump(themes, f, indent=2)
    f.write('\n')
for t in themes:
    print(f"{t['id']:44} {len(t['members'])} {'cross' if t['crossTechnology'] else 'same '} {', '.join(t['technologies'])}")
