#!/usr/bin/env python3
"""dev-l: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'reads-served-from-lagging-replica':
        'Reads are routed to an asynchronous replica or secondary that has fallen far behind its primary, so '
        'users and jobs act on data that is minutes or hours old while writes succeed.',
    'process-open-file-limit-too-low':
        'A server process inherits an open-file (descriptor) limit far below what its files, shards or sockets '
        'need, and once load or layout grows it fails with "too many open files".',
    'expiry-rule-deletes-live-data':
        'An expiry mechanism (item TTL, lifecycle rule, key expiry) is pointed at the wrong attribute, scope or '
        'key, and the store itself deletes data that was still in use, on schedule and without error.',
    'poison-message-retried-at-the-head':
        'A message or job that can never be processed is returned to the front of its queue with no attempt '
        'limit or dead-letter path, so it is retried endlessly and blocks everything behind it.',
    'replicas-share-one-failure-domain':
        'All or a majority of a cluster\'s replicas or quorum members are placed in one zone or rack, so the '
        'loss of that single failure domain takes data or quorum offline.',
    'retention-outlasted-by-paused-consumer':
        'A consumer is stopped for longer than a retention period it depends on (message retention, committed '
        'offset retention), so the system silently discards what the consumer needed when it returns.',
    'liveness-tied-to-shared-dependency':
        'A health or liveness check tests a dependency that every instance shares, so a brief blip of that '
        'dependency marks the whole fleet unhealthy or restarts it at once.',
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
          f"{', '.join(t['technologies']) or '-'}  decoy: {', '.join(decoys) or '-'}")
