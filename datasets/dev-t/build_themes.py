#!/usr/bin/env python3
"""dev-t: rebuild themes.json from labels.jsonl. The mechanism sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'single-copy-lost-with-its-node':
        'Data was stored with one copy only (replication factor 1, zero replicas), usually through a default or '
        'a template nobody revisited, so the loss of the single node or disk holding it made that data '
        'unavailable or gone for good.',
    'per-pod-pools-outgrow-server-connection-cap':
        'Clients scale out horizontally and each instance opens a fixed number of connections, so the fleet\'s '
        'total crosses a server-side ceiling (max_connections, maxclients, open-file limit) that was set for a '
        'smaller fleet, and new connections are refused.',
    'deletion-markers-slow-reads':
        'Deletes leave markers behind (tombstones, delete markers, old versions) that reads or listings must '
        'step over until a background cleanup removes them, and when cleanup lags behind heavy deleting, reads '
        'slow down until they time out.',
    'access-rule-tightened-locks-out-own-service':
        'A permission on the technology itself (ACL, IAM policy, vhost permission) is tightened to least '
        'privilege without covering a resource the service really uses (a consumer group, an index, a '
        'server-named queue), and the service\'s own requests are refused.',
    'cache-evicts-state-it-must-keep':
        'A cache that also holds state which must not disappear (locks, counters) evicts those entries under '
        'memory pressure, because of its eviction policy or memory layout, and the application reads the '
        'missing entry as "free" or "zero".',
    'liveness-timeout-below-normal-delay':
        'A failure-detection timeout (election timeout, session timeout) is set below the delays the system '
        'sees in normal operation (cross-region round trips, GC pauses), so healthy members are declared dead '
        'and leadership churns or is held twice.',
    'shard-ceiling-refuses-new-indices':
        'The number of shards grows (longer retention, one index per tenant) until it reaches the cluster\'s '
        'per-node shard limit, and the search cluster refuses to create any new index while storage and memory '
        'still look healthy.',
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
