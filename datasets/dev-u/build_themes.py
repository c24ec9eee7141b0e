#!/usr/bin/env python3
"""dev-u: rebuild themes.json from labels.jsonl. The mechanism sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'cache-evicts-keys-used-as-state':
        'Keys the application treats as durable state (sessions, idempotency records) share a memory-bounded cache '
        'with other data; when new data fills the memory, the cache evicts those keys under its normal eviction rules '
        'and the application acts as if the state never existed.',
    'clients-pinned-to-demoted-primary':
        'After a failover promotes a new primary, clients or a pooler keep connections or a hard-coded address aimed at '
        'the old node, which now serves as a read-only replica and rejects their writes until the clients reconnect.',
    'maintenance-removes-quorum':
        'Planned maintenance takes more members of a quorum-based cluster out at the same time than its replication '
        'allows (overlapping reboots, a removal before the replacement votes, two replicas of one range drained), so '
        'the cluster or part of its data can no longer reach a majority and refuses requests.',
    'skewed-key-overloads-one-partition':
        'Data or traffic is placed by a key (partition key, message key, routing value), and one key value grows to a '
        'large share of the load, so the single partition, shard or consumer that owns it saturates while the rest '
        'idle, and everything sharing that partition slows or is throttled.',
    'query-without-supporting-index-saturates-store':
        'A change leaves a frequent query without an index it can use (the index dropped, the column wrapped in a '
        'function, a leading wildcard), so each call scans the whole collection, table or term dictionary and the '
        'store runs out of CPU for everyone.',
    'deleted-rows-linger-in-queue-polls':
        'A database table is used as a work queue with delete-after-processing; deleted rows stay behind as markers '
        '(tombstones, dead tuples) until background cleanup, and every poll that reads from the start of the table '
        'has to step over them, until polling slows or fails.',
    'record-outgrows-size-limit':
        'A record written to a store or queue grows with the business data (more lines, more revisions, more '
        'variants) until it passes the per-item or per-message size limit, and those writes are refused while '
        'smaller ones keep working.',
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
    print(f"{t['id']:48} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies'])}  decoy: {', '.join(decoys) or '-'}")
