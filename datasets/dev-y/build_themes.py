#!/usr/bin/env python3
"""dev-y: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'uncapped-accumulation-fills-volume': ('mechanism',
        'Something keeps adding data to a store\'s volume with no cap or clean-up in force (a write-ahead log held '
        'for a dead subscriber, topics or indices with no deletion, a queue nobody consumes, revisions never '
        'compacted) until the disk or storage quota is full and the store stops taking writes.'),
    'one-key-outruns-partition-limit': ('mechanism',
        'The data model sends a burst of traffic to one key, item, prefix or partition, which lives on one '
        'partition, shard or replica set with its own per-partition ceiling; that one place saturates or throttles '
        'while the rest of the cluster or table sits mostly idle.'),
    'multiplied-client-pools-exhaust-connection-slots': ('mechanism',
        'The number of client processes or the pool each one opens was multiplied (autoscaling, serverless '
        'instances, more threads, a client per route), so the product of clients and pool size passed the '
        'server\'s connection ceiling and new connections were refused while the server itself was not busy.'),
    'emptied-cache-stampedes-backing-store': ('mechanism',
        'A cache in front of a store became empty or mostly empty all at once (restart of every node, a flush, '
        'synchronised expiry, a full purge), and the misses went straight to the store or origin behind it, which '
        'is sized for the normal miss rate and was overwhelmed.'),
    'expiry-rule-removes-data-still-in-use': ('mechanism',
        'A retention, expiry or eviction rule of the store itself (lifecycle rule, retention period, TTL '
        'attribute, eviction policy) deleted data that was still needed, doing exactly what the rule said, '
        'because the rule\'s scope or lifetime did not match how the data was used.'),
    # ---- factor themes: how it was amplified, let through or left undetected
    'retry-without-backoff-multiplies-load': ('factor',
        'Clients repeated failed or slow requests immediately, at fixed intervals or in nested layers, without '
        'backoff, jitter or a budget, so the load on the struggling component rose by a multiple of the real '
        'demand and kept it from recovering.'),
    'change-lands-on-every-site-at-once': ('factor',
        'A change (a setting, a module default, a patch run, a remote flag) reached every host, cluster, region or '
        'client in one step, with no first batch, canary or hold between stages, so a bad value hit everything '
        'before anyone could see its effect on a small part.'),
    'slow-build-up-nobody-was-watching': ('factor',
        'The fault grew gradually over days or weeks (disk use, deleted objects, consumer lag, an approaching '
        'expiry date), and the one signal that could have shown it was missing, muted, misrouted, or read by no '
        'one, so it was found only when it broke something.'),
    'known-peak-met-without-headroom': ('factor',
        'The demand that broke the system came from a dated, announced event (launch, broadcast, migration '
        'weekend, filing deadline) that the team knew about in advance, yet nobody sized or tested the affected '
        'tier against that event\'s own forecast beforehand.'),
    'emergency-fix-deepens-outage': ('factor',
        'During the incident the responder\'s own remedy (restarting members together, a failover that forces '
        'every client to reconnect at once, purging a queue, restarting nodes without pausing shard allocation) '
        'turned a contained fault into a larger outage or caused additional loss.'),
    'change-shipped-without-automated-check': ('factor',
        'A change reached production without any automated check that would have caught it: no policy check on a '
        'plan, no schema or type validation of a value, no dry run against a copy, no test at realistic scale; '
        'the document says such a check was absent.'),
}

labels = [json.loads(x) for x in open(os.path.join(HERE, 'labels.jsonl'), encoding='utf-8') if x.strip()]
themes = []
for tid, (kind, mech) in THEMES.items():
    mem = [l for l in labels if tid in l['themes']]
    techs = []
    for l in mem:
        techs += [c for c in l['causal'] if c not in techs]
    common = [c for c in techs if all(c in l['causal'] for l in mem)]
    themes.append({'id': tid, 'kind': kind, 'mechanism': mech, 'technologies': techs,
                   'crossTechnology': len(techs) >= 2 and not common, 'members': [l['id'] for l in mem]})
with open(os.path.join(HERE, 'themes.json'), 'w', encoding='utf-8') as fh:
    json.dump(themes, fh, indent=2)
    fh.write('\n')
for t in themes:
    decoys = [l['id'] for l in labels if l.get('decoyOf') == t['id']]
    print(f"{t['id']:50} {t['kind']:9} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies']) or '-'}  decoy: {', '.join(decoys) or '-'}")
