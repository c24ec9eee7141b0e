#!/usr/bin/env python3
"""dev-ae: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'ddl-lock-queues-hot-table': ('mechanism',
        'A schema or index change on a busy table (an added column, a column type change, an index build) needed '
        'a table- or database-wide lock, either waiting for it behind an open transaction or holding it while it '
        'rewrote or built, and every ordinary read and write on that table queued behind the lock until it timed '
        'out.'),
    'client-upgrade-changes-a-default': ('mechanism',
        'An upgrade of a client library or driver changed a default the team had never set explicitly '
        '(producer acknowledgements, connection pool size, server-side prepared statements, a read timeout), so '
        'the same code started talking to its server in a different way that the existing setup could not '
        'handle.'),
    'acked-before-work-finished': ('mechanism',
        'A consumer marked work as done (auto-ack, auto-committed offsets, a delete right after receive, a '
        '"sent" flag set first) before it had actually done it, so when the worker died or the downstream call '
        'failed the work was gone and nothing would retry it.'),
    'both-sides-accept-writes': ('mechanism',
        'When two parts of a cluster or two instances lost sight of each other, the side that should have '
        'stopped kept acting as primary or leader (no majority required, no fencing, no leadership check) while '
        'the other side took over, so both accepted writes or did the same work and one side\'s results were '
        'discarded or duplicated.'),
    'replica-read-as-if-current': ('mechanism',
        'A read that had to see a just-written value (an idempotency key, a reset token, a new order, a list of '
        'files) was served from an asynchronous copy (regional replica, read replica, secondary, replicated '
        'bucket) and treated "not there yet" as "does not exist".'),
    'mass-reconnect-after-restart': ('mechanism',
        'A restart of one server or proxy made all its clients reconnect or re-fetch state in the same seconds '
        '(sessions, TLS handshakes, full lists, server connections), and that burst ran into a limit that '
        'steady, gradual traffic never reaches.'),
    'bulk-job-crowds-out-live-traffic': ('mechanism',
        'A bulk operation (a backfill, a reindex, a cluster-wide repair) ran at full speed on the same store as '
        'live traffic, with no rate budget, and took the write capacity, thread pools or disk throughput that '
        'live requests needed.'),
    # ---- factor themes: how it was let through, hidden or prolonged
    'staging-could-not-show-it': ('factor',
        'The change was tested in an environment that could not exhibit the failure (a table a thousand times '
        'smaller, a handful of pods, no live load, a single region, no pooler in the path), and the passing test '
        'was taken as evidence that production would behave the same.'),
    'change-pushed-without-review': ('factor',
        'The harmful value reached production through a path with no second pair of eyes (a config service, a '
        'flag console, a self-merging automation, a direct push to main, a dashboard saved from the UI), so '
        'nobody who knew the consequence saw it before it was live.'),
    'monitored-metric-blind-to-the-fault': ('factor',
        'The alert or dashboard the team relied on watched an average across members or a proxy (cluster-average '
        'memory, mean lag across replicas, an hourly mean of consumed capacity, dead-letter depth, lag against '
        'committed offsets) that structurally could not show the failing part, so it stayed green while the '
        'fault ran.'),
    'rollback-left-the-change-live': ('factor',
        'The team rolled back, but the rollback did not touch what was actually doing harm: it reverted a '
        'different layer than the one that changed, left a server-side operation running, or repeated the '
        'harmful step itself, so the incident went on after the "fix".'),
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
