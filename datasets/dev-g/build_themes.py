#!/usr/bin/env python3
"""Write themes.json from labels.jsonl. The one-sentence mechanisms are kept in THEMES below."""
import json, os

D = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    'retention-rule-deletes-data-still-in-use':
        'An expiry or retention rule of the store (lifecycle rule, topic retention, TTL attribute, index lifecycle '
        'policy) is set with the wrong scope, unit or field, and the store itself deletes data that was still needed.',
    'disk-guard-freezes-writes':
        'Free disk falls under a protective threshold of the technology, which then deliberately refuses all writes '
        '(read-only index block, disk alarm, space quota alarm) for every client, not only the one that filled it.',
    'cache-eviction-discards-data-kept-nowhere-else':
        'Data that exists only in a cache (sessions, queues, idempotency tokens) is evicted under memory pressure or '
        'a changed eviction policy, because the cache is allowed to throw it away like any other cached value.',
    'engine-upgrade-degrades-query-plans':
        'After a major version upgrade of the database engine, the planner or optimizer picks a much worse plan for '
        'an unchanged query (missing statistics, new optimizer or planner behaviour) and load climbs.',
    'tightened-access-rule-locks-out-own-service':
        'A permission, policy or ACL of the technology is tightened or rewritten and no longer grants a principal '
        'the service itself depends on, so its own reads or writes start failing with access errors.',
    'partition-leaves-two-writable-primaries':
        'A network partition or stall ends with two nodes both accepting writes as primary or master, because the '
        'quorum or fencing setting allowed it, and writes on one side are lost or diverge.',
    'single-unbounded-command-stalls-server':
        'One request with no bound on the work it does (a full keyspace scan, a huge aggregation, a long script, an '
        'unindexed full scan) monopolises the server, and every other client times out behind it.',
    'replica-falls-behind-retained-log':
        'A replica or derived copy falls further behind than the source keeps its replication or change log (oplog, '
        'binlog, WAL, backlog, change stream), so it can no longer catch up incrementally and needs a full resync '
        'or rebuild.',
}

labels = [json.loads(x) for x in open(os.path.join(D, 'labels.jsonl')) if x.strip()]
out = []
for tid, mech in THEMES.items():
    members = [l for l in labels if tid in l['themes']]
    techs = []
    for l in members:
        techs += [c for c in l['causal'] if c not in techs]
    shared = [c for c in techs if all(c in l['causal'] for l in members)]
    out.append({'id': tid, 'mechanism': mech, 'technologies': techs,
                'crossTechnology': len(techs) >= 2 and not shared, 'members': [l['id'] for l in members]})
with open(os.path.join(D, 'themes.json'), 'w') as f:
    json.dump(out, f, indent=2)
    f.write('\n')
for t in out:
    print(f"{t['id']:50} {len(t['members'])}  {'cross' if t['crossTechnology'] else 'single'}  {', '.join(t['technologies'])}")
