#!/usr/bin/env python3
"""dev-i: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'expiry-rule-deletes-live-records':
        'An expiry mechanism of the store itself (a lifecycle rule, a TTL attribute) is given a wrong scope or value, '
        'and the store deletes records that were still in use.',
    'consumer-outlives-message-lease':
        'A consumer takes longer to process a message or batch than the time the queue or group allows it, so the '
        'technology hands the work to another consumer (redelivery or rebalance) and work repeats or stalls.',
    'disk-threshold-freezes-writes':
        'Free disk on a node falls past a protective threshold of the technology, which then blocks writes or '
        'publishers for everyone, not only the client that filled it.',
    'slow-fsync-costs-leadership':
        'Slow log persistence (fsync) on a coordination member delays heartbeats or session pings, so leadership '
        'or client sessions are lost and re-elected over and over.',
    'dead-entries-slow-every-read':
        'Deleted or superseded entries are kept by the store until a cleanup that cannot run or has not run yet, '
        'and every read has to walk past them until queries slow down or abort.',
    'pool-size-times-replicas-exceeds-server-cap':
        'Client instances scale out, each holding its own connections, and the product of instances and '
        'connections per instance passes the database server\'s connection limit.',
    'blocking-command-freezes-cache':
        'A single long-running command or script occupies the cache server\'s only command thread, and every other '
        'client waits or errors until it finishes.',
    'retention-outruns-lagging-consumer':
        'A consumer stays away longer than the broker keeps its data or its committed position, so on return the '
        'data is gone or the position is reset, and messages are skipped or replayed.',
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
    print(f"{t['id']:44} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies'])}  decoy: {', '.join(decoys) or '-'}")
