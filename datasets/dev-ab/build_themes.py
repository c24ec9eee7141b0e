#!/usr/bin/env python3
"""dev-ab: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'lagging-replica-promoted-loses-writes': ('mechanism',
        'A failover made a replica the new primary while it was behind (replication had silently gone '
        'asynchronous, a lag limit was too loose, a priority outranked the replication offset, writes were '
        'acknowledged by one member only), so writes that clients had been told were committed did not exist on '
        'the new primary and were lost or rolled back.'),
    'single-key-traffic-saturates-one-unit': ('mechanism',
        'The way data was keyed or grouped sent a surge of traffic to one key, partition, shard or message group, '
        'which is served by one unit (a partition, a shard, one consumer, one-at-a-time delivery) with its own '
        'ceiling; that unit saturated or throttled while the rest of the table, cluster or worker pool sat '
        'mostly idle.'),
    'retained-files-fill-data-volume': ('mechanism',
        'Files that a store or service writes as a side effect (snapshots, transaction logs and old snapshots, '
        'uncompacted log segments, debug log output) were kept with nothing deleting them, because a clean-up '
        'was off, dead or never configured, until the data or root volume was full and the process stopped.'),
    'fixed-lifetime-credential-lapses': ('mechanism',
        'A certificate, key or credential with a fixed lifetime (a broker keystore, a push certificate, an ACME '
        'certificate whose renewal was failing, a client certificate, the session credentials that signed a '
        'link) reached the end of that lifetime with nothing renewing it, and every connection or request that '
        'depended on it was refused from that moment.'),
    'idle-sessions-hold-db-connection-slots': ('mechanism',
        'Clients opened database sessions and then held them without doing database work (idle in transaction '
        'while waiting on another call, idle per dashboard tile), with no role limit or idle timeout, until the '
        'server\'s connection slots were all taken and every other service was refused while the database '
        'itself was nearly idle.'),
    'cache-emptied-reads-hit-backing-store': ('mechanism',
        'A cache in front of a store lost all or nearly all of its contents in one moment (every node restarted '
        'together, every node started with a tiny memory limit, every in-process cache told to forget '
        'everything), and the misses went straight to the store behind it, which was sized for the normal miss '
        'rate and was overwhelmed.'),
    # ---- factor themes: how it was amplified, let through or left undetected
    'immediate-retries-pile-on': ('factor',
        'Callers answered errors or timeouts by trying again at once, often in several stacked layers, with no '
        'wait, backoff, jitter or cap, so the struggling component received a multiple of the real demand and '
        'could not recover until the retries were cut.'),
    'fleetwide-change-without-first-batch': ('factor',
        'A change (a package upgrade, a configuration role, a library default, a network rule, an access policy) '
        'was applied to every node, service, region or bucket in a single step, with no first batch, canary or '
        'pause, so its bad effect hit everything at once instead of a small part.'),
    'warning-signal-missing-or-muted': ('factor',
        'The fault built up for days or weeks while the signal that would have shown it was absent, routed to '
        'nowhere, silenced, dropped in a monitoring migration or pointed at the wrong target, so it was found '
        'only when it broke something.'),
    'manual-runbook-step-goes-wrong': ('factor',
        'A step of a written runbook or procedure carried out by hand was skipped at a handover or an early '
        'stop, or was run in a risky variant the runbook offered, or was followed on a false premise, and that '
        'manual step caused or enabled the incident.'),
    'dated-peak-left-unsized': ('factor',
        'The load came from an event with a known date and a forecast (a sale, a broadcast finale, a month-end '
        'run, a presale), yet the part that broke was never sized or tested against that forecast, or was '
        'checked only in aggregate.'),
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
    print(f"{t['id']:42} {t['kind']:9} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies']) or '-'}  decoy: {', '.join(decoys) or '-'}")
