#!/usr/bin/env python3
"""dev-aa: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'purge-never-runs-disk-fills': ('mechanism',
        'Data kept arriving on a volume while nothing was ever going to remove it (compaction that cannot drop '
        'anything because every key is new, snapshots held by hard links, a log file outside rotation, a '
        'dead-letter queue with no consumer or bound, binary logs with expiry set to never) until the disk was '
        'full and the service or store stopped taking writes.'),
    'cache-emptied-reads-hit-database': ('mechanism',
        'A cache in front of a database stopped holding what it normally holds (emptied by replication from an '
        'empty master, refusing objects over its item size limit, never hitting because the key changed on every '
        'request), so nearly every read fell through to a database sized only for the usual miss rate.'),
    'certificate-or-key-outlives-validity': ('mechanism',
        'A certificate or access key reached the end of its validity (a tool default lifetime, a yearly '
        'certificate, a key-age policy) and nothing renewed or replaced it in time, so connections or uploads '
        'that depended on it were refused from one moment to the next.'),
    'failover-promotes-behind-copy': ('mechanism',
        'A failover or election made a copy that was missing acknowledged writes the new leader or primary '
        '(replication had silently become asynchronous, unclean election was allowed, writes were confirmed by '
        'one member only), and the writes only the old leader held were lost or rolled back when it returned.'),
    'one-partition-takes-the-burst': ('mechanism',
        'The key or ordering choice sent a burst to one partition, shard or message group (a date key, one big '
        'merchant, one tenant\'s routing value, a constant group id), which has its own per-unit ceiling or a '
        'single reader, so that one unit throttled or fell behind while the rest of the capacity sat idle.'),
    'cleanup-debt-stops-store': ('mechanism',
        'The store\'s own deferred clean-up (freezing old transaction ids, purging tombstones, defragmenting '
        'freed pages) ran but fell behind the rate at which work for it was created, until a hard threshold was '
        'crossed and the store refused writes or reads.'),
    # ---- factor themes: how it was amplified, let through or left undetected
    'retries-stack-without-backoff': ('factor',
        'Callers repeated failed or slow requests at once (nested retry layers, loops with no pause, '
        'reconnect-to-the-next-server loops, re-queued batches), so the struggling component received a '
        'multiple of the real demand and could not recover.'),
    'fleet-wide-change-no-canary': ('factor',
        'A change (a release, a configuration value, an operator upgrade, a firewall clean-up) was applied to '
        'every server, cluster or site in one step with no first subset and no hold, so its effect was '
        'discovered on everything at once.'),
    'warning-fired-into-nothing': ('factor',
        'The system did warn ahead of the failure (a disk alert, expiry warnings in the log, renewal failure '
        'mails, a synthetic check), but the warning went to an archived channel, a deleted list, an unshipped '
        'log level or a silence left on, so nobody acted until it broke.'),
    'manual-runbook-step-slipped': ('factor',
        'Keeping the system safe depended on a step that a person performs by hand from a runbook or wiki '
        '(clearing snapshots, defragmenting, renewing a certificate, forcing a step-down), and that step was '
        'skipped, forgotten when its owner left, or performed as written when it should not have been.'),
    'dated-peak-unprovisioned': ('factor',
        'The load that broke the system came from a known, dated event (a sale, month-end close, a ticket '
        'on-sale) with a forecast in hand, yet nobody sized or load-tested the affected component against that '
        'forecast in the form the load would actually take.'),
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
