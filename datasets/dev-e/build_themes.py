#!/usr/bin/env python3
"""Rebuild themes.json from labels.jsonl. The mechanism sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'retention-rule-matches-live-data':
        'An automatic expiry rule the team set for disposable data (lifecycle rule, TTL attribute or index, '
        'retention or cleanup policy, index lifecycle delete phase) also matches live data, and the '
        "technology's own background process deletes it.",
    'one-huge-transaction-stalls-replication':
        'One very large write (a single-statement purge, backfill, bulk update or table-copy DDL) is replicated '
        'as one unit that replicas, secondaries or a logical decoder must apply serially after commit, so every '
        'later change waits behind it and readers or majority writes stall.',
    'managed-service-hard-quota-reached-by-growth':
        'Organic growth, with no change on the day, reaches a fixed quota of a managed service (in-flight '
        'messages, per-table throughput, partitions per broker, clients per node) that nobody graphed.',
    'internal-cluster-credential-expiry':
        'A certificate or password that the members of a data cluster use to authenticate to each other '
        'expires unmonitored; established sessions hide it until a reconnect, then members cannot rejoin or '
        'replicate.',
    'poison-record-halts-ordered-consumption':
        'One record that always fails processing sits at the head of an ordered stream or queue (partition, '
        'message group, stream shard, requeued head) with no skip, retry cap or dead-letter path, so everything '
        'behind it waits.',
    'placement-skew-overloads-one-node':
        "The technology's placement of data or leadership (shard allocation, token ownership, partition "
        'leaders, shard key ranges, hash slots) concentrates the live load on one or a few nodes while the rest '
        'idle.',
    'int32-identifier-overflow':
        'A 32-bit integer identifier column (serial, auto-increment or a foreign key to one) reaches 2^31 - 1 '
        'and inserts fail.',
    'single-thread-blocked-by-long-command':
        'A command or script whose cost grows with the size of a key or keyspace (KEYS, SMEMBERS, a Lua scan, '
        'a synchronous flush) runs on the single command thread and blocks every other client.',
    'generic-plan-flip-on-skewed-parameter':
        'A prepared statement switches from custom plans to a cached generic plan after a few executions, and '
        'the generic plan is wrong for skewed parameter values, so the same query suddenly becomes slow.',
    'dynamic-mapping-first-document-wins':
        'Dynamic mapping fixes a field type from the first document that carries it, and later documents '
        'with a different shape for that field are rejected or mis-typed.',
}

labels = [json.loads(l) for l in open(os.path.join(HERE, 'labels.jsonl')) if l.strip()]
out = []
for tid, mech in MECHANISMS.items():
    members = [l for l in labels if tid in l['themes']]
    techs = []
    for m in members:
        for c in m['causal']:
            if c not in techs:
                techs.append(c)
    in_every = [c for c in techs if all(c in m['causal'] for m in members)]
    out.append({'id': tid, 'mechanism': mech, 'technologies': techs,
                'crossTechnology': len(techs) >= 2 and not in_every,
                'members': [m['id'] for m in members]})
json.dump(out, open(os.path.join(HERE, 'themes.json'), 'w'), indent=2)
open(os.path.join(HERE, 'themes.json'), 'a').write('\n')
for t in out:
    print(f"{t['id']:48} {len(t['members'])} {'cross' if t['crossTechnology'] else 'same'} {', '.join(t['technologies'])}")
