#!/usr/bin/env python3
"""dev-o: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'retention-setting-removes-live-data':
        'An expiry or retention setting of the store itself (lifecycle rule, TTL attribute, offset retention) '
        'matches data that is still in use, and the store deletes it on schedule without any error.',
    'stale-read-from-lagging-replica':
        'Reads that must see the caller\'s own recent write are served by an asynchronous replica that is seconds '
        'or minutes behind, so users see old data even though the write succeeded.',
    'disk-threshold-blocks-all-writes':
        'Disk use on some nodes crosses a protective threshold of the store (watermark, disk alarm, minimum free '
        'space), and the store blocks writes for every client, not only those on the full nodes.',
    'slow-batch-evicts-group-member':
        'Processing one poll\'s worth of records takes longer than the consumer group\'s poll interval, so the '
        'member is evicted, the whole group rebalances and the same batch is retried without progress.',
    'scale-out-multiplies-client-connections':
        'An autoscaled or unbounded client fleet multiplies per-instance connection pools past the server\'s '
        'connection limit, and the server refuses new connections while its other resources sit idle.',
    'isolated-node-keeps-accepting-writes':
        'During a partition a node cut off from the majority still believes it leads and keeps accepting writes, '
        'because a quorum or write-safety setting allows it, and those writes diverge or are discarded on rejoin.',
    'unbounded-scan-starves-shared-store':
        'A full scan (a KEYS command, a table Scan, a collection scan) consumes a resource that latency-sensitive '
        'requests share (the command thread, provisioned reads, primary CPU) and starves them.',
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
    print(f"{t['id']:42} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies'])}  decoy: {', '.join(decoys) or '-'}")
