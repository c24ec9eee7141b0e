#!/usr/bin/env python3
"""dev-n: rebuild themes.json from labels.jsonl. The mechanism sentences are kept here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
MECHANISMS = {
    'abandoned-reader-pins-retention':
        'A reader that no longer exists stays registered at an old position, so the system keeps every record '
        'after that position for it and its storage fills.',
    'cache-evicts-the-only-copy':
        'State that exists nowhere else is kept in a cache, and the cache evicts it under memory pressure as its '
        'policy allows, so the state is lost.',
    'deleted-entries-still-scanned':
        'A bulk delete leaves dead entries behind that the storage engine still walks on every read until a '
        'later cleanup removes them, so reads slow down or time out.',
    'resolved-address-outlives-endpoint-move':
        'A client resolves an endpoint name once and keeps the address, so after the endpoint moves to a new '
        'host it keeps connecting to the old one.',
    'query-loses-its-index-path':
        'A query the data store cannot answer from an index reads the whole table or collection on every call '
        'and saturates the store.',
    'isolated-side-keeps-acting-as-leader':
        'During a network partition a member cut off from the majority still acts as leader, so both sides '
        'accept writes or grant leases and one side\'s work is lost or duplicated.',
    'slow-holders-drain-a-shared-pool':
        'Slow operations hold every connection of a fixed-size pool that fast operations share, and the fast '
        'operations starve waiting for a free connection.',
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
