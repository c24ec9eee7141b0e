#!/usr/bin/env python3
"""dev-ag: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'retention-expires-data-before-reader': ('mechanism',
        'A retention or expiry setting of the store itself (topic retention, queue message retention, a bucket '
        'lifecycle rule, a TTL index, the binary-log expiry window) was shorter than the time a paused, slow or '
        'later reader needed, so the store removed data on schedule before that reader got to it.'),
    'access-list-still-names-old-identity': ('mechanism',
        'The identity a workload presents changed (a recreated role name, a new certificate subject, a new '
        'user, a new subnet, a new network endpoint) while the technology\'s own access rules (role mapping, '
        'ACL, vhost permissions, host-based auth, bucket policy) were not carried over to it, so the product '
        'correctly refused a legitimate client.'),
    'eviction-drops-data-with-no-other-copy': ('mechanism',
        'Data that existed nowhere else (a job queue, user sessions) lived in a memory store that frees space by '
        'evicting items, and memory pressure in the part of the store holding that data made the store discard '
        'it silently.'),
    'housekeeping-off-until-guard-trips': ('mechanism',
        'The product\'s internal cleanup of dead versions (MVCC revision compaction, freezing old transaction '
        'IDs, purging tombstones) was switched off or held back by a setting, so garbage piled up until a '
        'protective limit of the product itself started refusing reads or writes.'),
    'cluster-wide-cap-blocks-new-work': ('mechanism',
        'A limit that applies to a whole cluster, queue or default entity rather than to the single component '
        'being scaled (open shards per node, in-flight messages per queue, the quota of the default user) was '
        'reached, and the product refused or throttled new work while the usual health signals looked fine.'),
    # ---- factor themes: how it was let through, hidden or prolonged
    'shipped-default-left-in-place': ('factor',
        'The harmful value was the product\'s out-of-the-box default that nobody had ever set or reviewed '
        '(message retention, slab reassignment, replica output buffer limit, eviction policy, hint window), '
        'and it stopped fitting once data, load or outage lengths grew.'),
    'cost-saving-change-removed-margin': ('factor',
        'The harmful value or arrangement was introduced to save money or disk space (a shorter window, a broader '
        'expiry rule, sharing an existing cluster), and the change was reviewed for the saving but not for what '
        'else relied on the margin it removed.'),
    'value-differs-between-nodes-or-envs': ('factor',
        'A setting had a different value on one member, on the clients versus the servers, or was copied from a '
        'different environment or node size (a hand edit on one primary, staging limits in production, a big-node '
        'threshold on small nodes, one member built from a base template), and the odd value was the harmful one.'),
    'product-error-hidden-behind-generic-message': ('factor',
        'The product stated the cause in its own words (offset out of range, no permissions, database space '
        'exceeded, packet length out of range, OOM command not allowed), but a client, wrapper or pipeline '
        'replaced it with a generic message or dropped it, which delayed diagnosis.'),
    'temporary-override-never-reverted': ('factor',
        'A setting changed on purpose as a temporary measure during an earlier incident or bulk operation (a '
        'raised freeze age, a raised tombstone grace period, an emergency default quota) was never set back, '
        'and months later it caused a new incident.'),
}

labels = [json.loads(x) for x in open(os.path.join(HERE, 'labels.jsonl'), encoding='utf-8') if x.strip()]
themes = []
for tid, (kind, mech) in THEMES.items():
    mem = [l for l in labels if tid in l['themes']]
    techs = []
    for l in mem:
        techs += [c for c in l['causal'] if c not in techs]
    common = [c for c in techs if all(c in l['causal'] for l in mem)]
    themes.append({'id': tid, 'kind': kind, 'mechanism': mech, 'technologies': techs,
                   'crossTechnology': len(techs) >= 2 and not common, 'members': [l['id'] for l in mem]})
with open(os.path.join(HERE, 'themes.json'), 'w', encoding='utf-8') as fh:
    json.dump(themes, fh, indent=2)
    fh.write('\n')
for t in themes:
    decoys = [l['id'] for l in labels if l.get('decoyOf') == t['id']]
    print(f"{t['id']:45} {t['kind']:9} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies']) or '-'}  decoy: {', '.join(decoys) or '-'}")
