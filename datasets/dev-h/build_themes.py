#!/usr/bin/env python3
"""Rebuild themes.json from labels.jsonl; the mechanism sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'server-upgrade-flips-a-default':
        'A major-version upgrade of the server changes a default (authentication plugin, schema privileges, '
        'security on by default) and clients that relied on the old default start failing.',
    'payload-outgrows-hard-size-limit':
        'An item, message, value or request grows past a fixed per-object size limit of the technology, and the '
        'technology rejects or silently drops it.',
    'failover-lands-on-undersized-standby':
        'A failover promotes a replica or standby that was provisioned smaller than the primary, and the new '
        'primary cannot carry the production load.',
    'skewed-clock-reorders-writes':
        'A node or client with a wrong clock stamps writes with timestamps out of order, and last-write-wins '
        'resolution keeps the wrong version or hides newer writes.',
    'open-transaction-pins-lock':
        'A transaction left open by an abandoned session holds a lock, and a schema change queues behind it so '
        'that every later query queues behind the schema change.',
    'lagging-copy-served-as-truth':
        'Reads go to an asynchronously updated copy (read replica, secondary index) that lags the writes, and the '
        'application treats what it reads there as the current state.',
    'node-change-triggers-bulk-data-movement':
        'Adding, replacing or restarting a node makes the technology move data in bulk between nodes without a '
        'throttle suited to the moment, and the movement saturates disks or network serving live traffic.',
    'persistence-fork-stalls-cache':
        'The cache forks its process to persist a snapshot or rewrite its append-only file, and the fork stalls '
        'the server or copy-on-write pages push memory past the host limit.',
}

labels = [json.loads(x) for x in open(os.path.join(HERE, 'labels.jsonl'), encoding='utf-8') if x.strip()]
themes = []
for tid, mech in MECHANISMS.items():
    mem = [l for l in labels if tid in l['themes']]
    techs = []
    for l in mem:
        techs += [c for c in l['causal'] if c not in techs]
    common = [c for c in techs if all(c in l['causal'] for l in mem)]
    themes.append({'id': tid, 'mechanism': mech, 'technologies': techs,
                   'crossTechnology': len(techs) >= 2 and not common, 'members': [l['id'] for l in mem]})
with open(os.path.join(HERE, 'themes.json'), 'w', encoding='utf-8') as fh:
    json.dump(themes, fh, indent=2)
    fh.write('\n')
for t in themes:
    decoys = [l['id'] for l in labels if l.get('decoyOf') == t['id']]
    print(f"{t['id']:42} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies'])}  decoy: {', '.join(decoys) or '-'}")
