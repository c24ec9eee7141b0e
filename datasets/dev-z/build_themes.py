#!/usr/bin/env python3
"""dev-z: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'store-disk-filled-by-unreclaimed-data': ('mechanism',
        'A store kept adding data to its own disk faster than anything took it away (records that compaction '
        'could not collapse, WAL that could not be archived, snapshots nobody cleared, transaction logs never '
        'purged, a flood of log lines into an index) until the volume was full and the store stopped taking '
        'writes or went down.'),
    'cache-bypass-floods-source-of-truth': ('mechanism',
        'A cache stopped holding the hot data all at once (items too large to store, a flush, every process '
        'restarting with an empty in-memory map) and every read went to the store or service behind it, which was '
        'sized or limited for the normal miss rate and slowed, throttled or refused.'),
    'lapsed-certificate-or-credential': ('mechanism',
        'A certificate, password or session credential reached its expiry (or a validity limit set on it), '
        'nobody or nothing renewed it in time, and every connection or request that depended on it was refused '
        'from that moment.'),
    'failover-elevates-incomplete-copy': ('mechanism',
        'On a failover, election or restart, a copy of the data that lacked recent acknowledged writes (a lagging '
        'or disconnected replica, an out-of-sync leader candidate, an emptied master, a primary that acked alone) '
        'became the source of truth, and writes that clients had been told were safe were lost or rolled back.'),
    'skewed-key-saturates-one-partition': ('mechanism',
        'The choice of key or routing value put a large share of the traffic on one partition, shard, node or '
        'consumer (a date, a big tenant, one hot object), so that single place hit its own ceiling while the rest '
        'of the cluster or table sat mostly idle and adding capacity elsewhere did not help.'),
    'consumer-group-churn-halts-consumption': ('mechanism',
        'Members of a consumer group kept leaving and rejoining (processing past the poll deadline, pods restarted '
        'one by one), each change triggered a stop-the-world rebalance of the whole group, and the group spent its '
        'time rebalancing instead of consuming.'),
    # ---- factor themes: how it was amplified, let through or left undetected
    'immediate-retries-multiply-pressure': ('factor',
        'Clients answered failures or timeouts by repeating at once (nested retry loops, re-sending unprocessed '
        'items in a tight loop, inline retries per record, reconnecting forever) with no backoff, jitter or cap, '
        'so the struggling component received several times the real demand and could not recover.'),
    'fleet-wide-change-without-staging': ('factor',
        'A change (a shared default, a group-level variable, a shared parameter group, a config-only deploy) took '
        'effect on every service, instance, cluster or pod in one step with no first batch or canary, so its bad '
        'effect reached everything before anyone could see it on a small part.'),
    'weeks-of-warning-nobody-received': ('factor',
        'The fault built up over days, weeks or months, and the signal that would have shown it was missing, '
        'pointed at the wrong thing, or went to a person or team that no longer received it, so it was found only '
        'when it broke production.'),
    'hand-run-procedure-step-misfires': ('factor',
        'The incident depended on a step that people perform by hand from a runbook or approved procedure: the '
        'step was run against the wrong target, in the wrong order, with a wrong pasted value, on assumptions that '
        'no longer held, or silently stopped being done.'),
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
