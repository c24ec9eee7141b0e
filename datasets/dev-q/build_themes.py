#!/usr/bin/env python3
"""dev-q: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'async-failover-loses-acknowledged-writes':
        'A primary acknowledges writes before any replica has them; when it fails or steps down, a replica that '
        'never received those writes is promoted, and the acknowledged writes are discarded or set aside.',
    'lease-expires-while-holder-still-working':
        'A lock or leadership lease (session, lease TTL, key expiry) is shorter than the holder\'s pauses or its '
        'work, so the store releases it to a second holder while the first keeps acting, and the work runs twice.',
    'delete-markers-slow-every-read':
        'A table used as a queue leaves a deleted-row marker (tombstone, dead tuple) for every processed item, and '
        'reads must walk past the accumulated markers until each read is slow or fails.',
    'payload-outgrows-item-size-limit':
        'A record or message grows past the store\'s per-item size limit (topic message size, queue message size, '
        'item size), and every write of it is rejected, stalling the flow it belongs to.',
    'cache-eviction-drops-state-used-as-truth':
        'State that has no other copy (idempotency keys, sessions) is kept in a cache that evicts under memory '
        'pressure, and unrelated data filling the cache makes it evict that state.',
    'serving-certificate-lapses-unrenewed':
        'A server-side TLS certificate reaches its expiry because renewal did not cover it or silently failed, '
        'and every client handshake with that endpoint fails at once.',
    'data-movement-unthrottled-starves-live-traffic':
        'Bulk data movement between nodes (shard recovery, partition reassignment, bootstrap streaming) runs without '
        'a throughput limit and takes the disks and links that live requests need.',
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
