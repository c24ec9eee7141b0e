#!/usr/bin/env python3
"""dev-m: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'expiry-rule-removes-live-data':
        'An expiry, retention or time-to-live setting is applied to data or state that is still in use, and the '
        'store itself removes it on schedule: objects, items or committed consumer positions disappear.',
    'background-maintenance-starves-foreground':
        'A store\'s own housekeeping (compaction, freezing old rows, defragmentation, moving data between shards) '
        'runs at full strength during busy hours and takes the disk or the members that live requests need.',
    'stalled-process-declared-dead':
        'A process freezes for seconds (garbage collection, a storage stall) without crashing; its peers or a '
        'health checker declare it dead, fail over or reshuffle work, and the recovery itself does the damage.',
    'connection-slots-run-out':
        'A server\'s fixed ceiling on client connections is reached, because clients multiply or abandon idle '
        'sessions, and it refuses new connections while CPU and memory are still plentiful.',
    'work-outlives-its-lease':
        'A consumer holds a message or a batch longer than the broker\'s lease, poll or acknowledgement timeout; '
        'the broker assumes the consumer is dead, hands the work to another, and the same work is done again.',
    'emptied-cache-floods-the-origin':
        'A cache tier suddenly stops answering most reads (shrunk, restarted empty, purged) and the system behind '
        'it receives many times its normal load, which it was never sized for.',
    'low-disk-guard-blocks-writes':
        'Free disk falls below a threshold the data system guards itself with, and by design it blocks writes or '
        'publishing from every client, including healthy ones, until space is freed.',
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
