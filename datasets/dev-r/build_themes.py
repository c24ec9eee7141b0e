#!/usr/bin/env python3
"""dev-r: rebuild themes.json from labels.jsonl. The mechanism sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'disk-threshold-blocks-writes':
        'A node of a data store passes its free-disk threshold (flood-stage watermark, disk alarm, storage '
        'minimum) and the store protects itself by refusing writes for everyone, so ingestion stops while reads '
        'keep working.',
    'consumer-pause-outlasts-retention':
        'A consumer stops reading for longer than a retention period it never looked at (committed-offset '
        'retention, message retention), and the store discards what it was keeping for that consumer, so '
        'unread data is skipped or deleted when the consumer returns.',
    'reads-served-by-lagging-replica':
        'A read that feeds a decision is served by a replica that has fallen behind the primary (replica lag, '
        'stalled apply, missed writes), and the stale answer makes the system repeat or allow something it '
        'should not.',
    'expiry-rule-matches-live-data':
        'An automatic expiry rule (lifecycle rule, TTL attribute) is given a scope wider than intended, and the '
        'store deletes live data that happens to match it, in the background and without an error.',
    'rolling-restart-outruns-rejoin':
        'A rolling restart or upgrade moves to the next member before the previous one has rejoined and caught '
        'up, so two members are out at once and the cluster loses quorum or its in-sync replicas.',
    'poison-message-blocks-ordered-queue':
        'One message that always fails sits at the head of an ordered queue, group or partition and is '
        'retried forever because no redelivery limit or error tolerance moves it aside, so everything behind '
        'it waits.',
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
    print(f"{t['id']:40} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies'])}  decoy: {', '.join(decoys) or '-'}")
