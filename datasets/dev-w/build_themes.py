#!/usr/bin/env python3
"""dev-w: rebuild themes.json from labels.jsonl. The mechanism sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'own-maintenance-pass-starves-requests':
        'A data store starts one of its own background maintenance passes (compaction rewrite, snapshot fork, '
        'anti-wraparound vacuum) with too little throttling or headroom, and that pass takes the disk I/O or memory '
        'the live requests on the same node need.',
    'tight-failure-detector-deposes-healthy-leader':
        'The timeout a replicated system uses to decide its leader is gone is set tighter than the ordinary pauses or '
        'round trips of its environment (a snapshot fsync, a volume freeze, wide-area latency), so it keeps electing '
        'new leaders although none failed, and writes stall during every election.',
    'lock-key-vanishes-while-holder-works':
        'A mutual-exclusion key kept in a store disappears by the store\'s own doing (its expiry timer or its '
        'eviction) while the holder is still working, so a second worker acquires it and the guarded action runs twice.',
    'node-change-data-shuffle-saturates-cluster':
        'Adding or replacing nodes makes the system copy data between nodes on its own (shard relocation, partition '
        'reassignment, a blue/green copy) with no or a too-generous throttle, and the copying saturates the nodes '
        'that are still serving live traffic.',
    'access-rule-shuts-out-legitimate-writer':
        'An access rule on the store itself (bucket policy, queue policy, role mapping) is changed to one that does '
        'not include a writer that legitimately depends on it, and the store refuses that writer\'s requests from then on.',
    'payload-over-store-size-ceiling-rejected':
        'A payload grows past a per-item or per-message size ceiling of the store or broker (a default left as '
        'shipped, or a hard limit of the service), and every write of such a payload is refused, so the data is not '
        'cached, not published or not saved.',
    'path-mtu-blackholes-full-size-packets':
        'A network path change lowers the usable packet size while the signal that should shrink packets (ICMP '
        'fragmentation-needed, MSS clamping) is missing, so small exchanges work and every full-size transfer hangs.',
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
