#!/usr/bin/env python3
"""dev-j: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'one-key-takes-all-the-load':
        'A key chosen for routing (partition key, message key) concentrates most traffic on one partition, which '
        'hits its own limit while the rest of the system sits idle.',
    'counter-reaches-its-type-maximum':
        'An auto-generated id is stored in a column type too narrow for its growth; when the counter reaches the '
        'type maximum, every insert fails.',
    'members-restarted-faster-than-quorum-recovers':
        'Members of a quorum-based cluster are restarted or replaced faster than each rejoins, so the cluster loses '
        'its majority and stops serving writes.',
    'memory-ceiling-refuses-writes':
        'A broker or cache reaches its configured memory ceiling and, by its own policy, refuses or blocks new '
        'writes from every client rather than shedding old data.',
    'schema-change-waits-on-a-lock':
        'A schema change queues for an exclusive table lock behind a long transaction, and every later query on '
        'the table queues behind the schema change.',
    'search-heap-trips-breakers':
        'Heavy aggregations or indexing push a search cluster\'s JVM heap high enough that its circuit breakers '
        'reject requests or nodes drop out.',
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
