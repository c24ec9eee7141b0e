#!/usr/bin/env python3
"""dev-v: rebuild themes.json from labels.jsonl. The mechanism sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'reconnect-burst-after-brief-drop':
        'A short interruption (a link drop, a failover, an election) makes every client lose its connections at '
        'once, and all of them reconnect together without jitter or a cap; the connection-setup work (handshakes, '
        'logins, process or thread per connection) saturates the server or its connection limit, and immediate '
        'retries keep it saturated long after the interruption ended.',
    'oversized-record-halts-ordered-pipeline':
        'A change makes some records larger than a store\'s hard per-record size limit (message size, item size), '
        'the store rejects them, and a writer that processes in order and retries forever stalls on the one '
        'rejected record, holding back everything queued behind it.',
    'timestamp-reconciliation-drops-newer-write':
        'Two writes to the same record are reconciled by comparing timestamps (last writer wins), and because the '
        'timestamps do not reflect the real order (a skewed client clock, concurrent writers in two regions) the '
        'store silently keeps the stale value and discards the newer one, with no error to anyone.',
    'managed-maintenance-default-window':
        'A managed service applies a pending patch, upgrade or software update on its own inside a maintenance '
        'window that was never chosen, left at a provider default that falls in peak hours, and the restart, '
        'failover or data copy the update performs hits live traffic.',
    'field-type-guessed-from-first-value':
        'A search index infers an undeclared field\'s type from the first value it receives after a new index is '
        'created, an unusual first value fixes the wrong type, and every later document whose value does not fit '
        'is rejected at write time while the rest of the pipeline carries on.',
    'quorum-members-share-failure-domain':
        'The members or replicas that a quorum or replication scheme relies on end up in one failure domain (a '
        'zone, a rack row) because a placement setting was missing or a replacement ignored it, so a single '
        'domain failure takes out a majority or every replica at once.',
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
    print(f"{t['id']:45} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies'])}  decoy: {', '.join(decoys) or '-'}")
