#!/usr/bin/env python3
"""dev-s: rebuild themes.json from labels.jsonl. The mechanism sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'retention-expires-unread-backlog':
        'A consumer stops (paused, down, migrating) for longer than the retention or expiry window of the log or '
        'queue that feeds it, and the store discards the unread messages before the consumer comes back.',
    'client-fleet-connections-exceed-server-cap':
        'A client change multiplies connections (more pods or workers, a per-worker pool, a bypassed pooler, '
        'connections never closed) until the server\'s connection ceiling is reached, and then it refuses every '
        'new connection, also those of unrelated healthy clients.',
    'storage-guard-blocks-all-writes':
        'Stored data grows until the store\'s own disk or size guard trips (watermark, backend quota, free-storage '
        'threshold), and the store switches to read-only, refusing all writes while reads keep working.',
    'expiry-rule-aimed-at-live-data':
        'An automatic expiry rule (lifecycle rule, TTL attribute, default table TTL) is configured so that it '
        'covers data still in use, and the store itself deletes that data in the background.',
    'lagging-replica-serves-stale-reads':
        'Reads are routed to a replica that has fallen behind the primary, so users are shown data from before '
        'their own recent write and act on it.',
    'unprocessable-message-redelivered-forever':
        'A message that can never be processed is handed out again and again because the queue has no delivery '
        'limit or dead-letter route, and the endless retries crowd out the healthy work.',
    'store-credential-rotated-ahead-of-clients':
        'A credential on the data store is rotated so the old one stops working at once, while clients still hold '
        'the old one until restart, and the store refuses their connections.',
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
    print(f"{t['id']:46} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies'])}  decoy: {', '.join(decoys) or '-'}")
