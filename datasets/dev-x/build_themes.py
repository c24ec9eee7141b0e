#!/usr/bin/env python3
"""dev-x: rebuild themes.json from labels.jsonl. The mechanism sentences and each theme's kind live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
# (kind, sentence). "mechanism" themes say what failed; "factor" themes say how a failure of any mechanism
# was amplified, let through or left undetected.
THEMES = {
    'unread-backlog-aged-out': ('mechanism',
        'Consumers stall or fall far behind, and the broker or queue keeps messages only for a fixed age (topic '
        'retention, queue retention period, per-message TTL); the unread backlog reaches that age and is deleted '
        'unconsumed, so a delay becomes a loss.'),
    'behind-replica-takes-over': ('mechanism',
        'A primary or leader fails while its replicas have not received all writes it already acknowledged '
        '(asynchronous replication, a broken replica link, out-of-sync followers), a replica that is behind '
        'becomes the new primary, and the acknowledged writes missing from it are lost or rolled back.'),
    'optimizer-switches-plan-on-new-stats': ('mechanism',
        'A database re-derives its statistics (autoanalyze, an upgrade, a housekeeping job at the wrong moment) '
        'and its query planner picks a different execution plan for an unchanged query, one that is fast for the '
        'data it assumes and very slow for the real data.'),
    'store-misreads-a-time-value': ('mechanism',
        'A data store drives its own time-based logic (last-write-wins resolution, item expiry, time-based '
        'retention) from a time value supplied by clients or records, and that value is in the wrong unit, from a '
        'skewed clock or deliberately old, so the store keeps, discards or overrides data at the wrong time.'),
    'isolated-side-keeps-accepting-writes': ('mechanism',
        'A network split leaves a node or group of nodes cut off from the rest, and because nothing requires a '
        'majority before it acts as primary, the isolated side keeps accepting writes alongside the other side; '
        'when the split heals the divergent writes of one side are discarded.'),
    'entries-share-one-expiry-instant': ('mechanism',
        'A large set of cached entries or credentials is created with the same lifetime at the same moment (bulk '
        'warm-up, absolute expiry time, mass rotation), so all expire in the same instant and every client '
        'rebuilds or renews at once against the service behind them.'),
    'eager-retries-feed-the-overload': ('factor',
        'Clients or intermediate layers retry failed or timed-out calls immediately, several times and often at '
        'several layers, without backoff, jitter or a budget, multiplying the load on a service that is already '
        'failing from overload and keeping it down.'),
    'change-hits-whole-fleet-in-one-step': ('factor',
        'A configuration or version change is applied to every region, replica, cluster or host in one step, '
        'with no canary or staged rollout, so its bad effect appears everywhere at once and no healthy part is '
        'left to compare against or fall back to.'),
    'warning-metric-never-alerted': ('factor',
        'The quantity that showed the failure building for hours, days or months (consumer lag, replica offset, '
        'archiver failures, item count, shard count) was collected and graphed, but no alert was attached to it, '
        'so the problem was found only when it became an outage or by accident.'),
    'safeguard-quietly-left-off': ('factor',
        'A protective setting (semi-synchronous replication, in-sync replica minimum and clean elections, master '
        'quorum, majority write concern, a dead-letter target) was switched off for a temporary need or dropped '
        'by a migration, and stayed off unnoticed until a failure needed it.'),
    'hasty-recovery-destroys-surviving-data': ('factor',
        'During the incident a responder took a quick recovery step (another forced failover, restarting the '
        'wrong or both sides of a split, deleting files to free space) without first establishing which copy '
        'held the good data, and the step destroyed data that had survived the original failure.'),
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
    print(f"{t['id']:40} {t['kind']:9} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies']) or '-'}  decoy: {', '.join(decoys) or '-'}")
