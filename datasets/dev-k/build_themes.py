#!/usr/bin/env python3
"""dev-k: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'merge-work-starves-foreground-io':
        'A store\'s own background maintenance (compaction, segment merging, chunk migration) runs without a '
        'throttle or outside a quiet window and takes the disk bandwidth that live reads need.',
    'membership-change-triggers-full-reshuffle':
        'A member of a group leaving or joining briefly (a pod restart, a node reboot) makes the cluster '
        'redistribute all of its work or data, and the redistribution costs more than the absence itself.',
    'expiry-rule-removes-live-data':
        'An automatic expiry or retention setting (lifecycle rule, TTL attribute, offset retention) is pointed at '
        'a wider scope or shorter period than intended and silently removes data that is still in use.',
    'reads-routed-to-lagging-copy':
        'Reads are sent to an asynchronous replica while replication is minutes behind, so users do not see '
        'what they have just written.',
    'middlebox-drops-idle-connections':
        'A NAT gateway or load balancer between client and data store forgets connections idle longer than its '
        'timeout, and the next use of a pooled or long-running connection is reset.',
    'free-space-guard-halts-writes':
        'A product\'s free-disk safety threshold is crossed on one node and the product switches to refusing or '
        'blocking writes for every client.',
    'drifting-clock-breaks-time-decisions':
        'Time synchronisation silently stops on some hosts, their clocks drift, and a component that trusts '
        'wall-clock time (write timestamps, token or signature validity) makes wrong decisions.',
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
