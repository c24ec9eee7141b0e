#!/usr/bin/env python3
"""dev-af: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'one-node-threshold-blocks-cluster-writes': ('mechanism',
        'One member of a cluster crossed a resource threshold (a disk watermark, a free-disk alarm, a storage '
        'quota, a node\'s free storage) while the others had room, and the cluster\'s protective reaction applied '
        'to everyone: writes were refused or publishers blocked on every member, not just the full one.'),
    'stalled-sink-trips-consumer-deadline': ('mechanism',
        'A store that consumers write to or read from slowed or blocked (a lock, throttling, tombstone-heavy '
        'reads), the consumers overran the deadline their queue gives them (poll interval, visibility timeout, '
        'consumer timeout), and the queue took the work back and handed it to another consumer, so the same '
        'work was started again and again, multiplying load or side effects.'),
    'provider-outage-with-nowhere-to-go': ('mechanism',
        'An outside provider (a cloud region, a hosted service, a payment processor) had an outage, and because '
        'the product had no working alternative to switch to, the feature that depended on it was down for as '
        'long as the provider was.'),
    'host-or-network-fault-wearing-store-symptoms': ('mechanism',
        'A data store or broker showed the symptoms (client timeouts, nodes marked down, replicas dropping out '
        'of sync, sessions expiring, unreachable broker) while the store itself was healthy; the fault lay '
        'beneath it, in the hosts, the kernel, the hypervisor or the network between client and server.'),
    'queries-lose-their-index-and-scan': ('mechanism',
        'A change removed the index a hot query relied on, or made it unusable for that query (dropped before '
        'its replacement existed, a predicate that no longer matches a partial index, a character-set mismatch '
        'across a join), and the query fell back to a full scan that saturated the store.'),
    'coordinator-stall-drops-dependents-leases': ('mechanism',
        'A coordination store (a ZooKeeper ensemble, etcd) stopped answering for seconds to minutes, and the '
        'systems that keep sessions or leader leases in it (Kafka brokers and controller, Kubernetes controllers) '
        'lost them, re-registered and re-elected, which disrupted service well beyond the stall itself.'),
    # ---- factor themes: how it was let through, hidden or prolonged
    'responders-worked-on-the-victim-first': ('factor',
        'The first alert and the dashboards pointed at a component that was only suffering (a queue and its '
        'consumers, Kafka brokers, a cache server), and responders spent the first part of the incident acting '
        'on it (restarts, scaling out, failovers) while the cause sat elsewhere; the actions did not help and '
        'sometimes made it worse.'),
    'fallback-path-never-exercised': ('factor',
        'A way out existed on paper (a DR runbook to another region, a degraded-mode switch, Sentinel failover, '
        'a DNS failover to a second site) but had never carried real traffic, and when it was needed it failed '
        'on something a single drill would have shown.'),
    'old-limit-outgrown-by-growth': ('factor',
        'A limit or size chosen, or left at its default, when the system was small (a storage quota, a buffer '
        'or item size ceiling, provisioned throughput, a queue timeout, an oplog size) was never revisited while '
        'the system grew many times over, until ordinary traffic crossed it.'),
    'earlier-action-item-left-open': ('factor',
        'The same failure had happened before, and the earlier review had produced the action that would have '
        'prevented it (a rollover policy, a data-model change, a connectivity test, an alert); that action was '
        'never done, was left unassigned or was closed as stale.'),
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
    print(f"{t['id']:45} {t['kind']:9} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies']) or '-'}  decoy: {', '.join(decoys) or '-'}")
