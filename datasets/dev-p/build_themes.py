#!/usr/bin/env python3
"""dev-p: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'descriptor-ceiling-from-object-count':
        'The store holds open files for every partition, shard, segment or client connection; the count of those '
        'objects grows past the process\'s open-file limit and the node stops accepting connections or dies.',
    'eviction-discards-durable-state':
        'State that must not vanish (sessions, idempotency tokens) lives in a store that evicts under memory '
        'pressure, and when the store fills up it discards that state as if it were cache.',
    'narrowed-store-access-locks-out-owner':
        'A permission, role or access policy on the store itself is narrowed, and the store correctly refuses the '
        'owning service\'s legitimate reads or writes.',
    'maintenance-drops-quorum-majority':
        'Maintenance stops or adds members of a majority-quorum system faster than they become healthy, the '
        'system loses its majority and stops serving writes (or everything) until a member rejoins.',
    'payload-exceeds-store-size-cap':
        'A record, item or message grows past a hard size limit of the store or queue, and every write of such a '
        'payload is rejected while smaller ones keep working.',
    'failover-promotes-replica-missing-acked-writes':
        'Failover promotes a replica that had not received writes the old leader already acknowledged, because a '
        'replication or election setting allows it, and those writes are lost.',
    'background-merge-debt-slows-foreground':
        'Background housekeeping (compaction, segment merging, cache eviction) falls behind the write rate, and '
        'foreground reads or writes slow down or are throttled until it catches up.',
    'destructive-command-on-wrong-environment':
        'An operator runs a destructive command (TRUNCATE, FLUSHALL, DROP TABLE) against the production store '
        'while believing the session, pane or alias points at a non-production one.',
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
