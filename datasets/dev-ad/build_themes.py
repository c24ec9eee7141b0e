#!/usr/bin/env python3
"""dev-ad: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'ddl-lock-queues-hot-table': ('mechanism',
        'A schema or index change on a busy table (an ALTER waiting for its metadata lock, a column type change '
        'that rewrites the table, a foreground or non-concurrent index build) held or requested an exclusive lock, '
        'and every ordinary read or write on that table queued behind it until the change finished or was killed.'),
    'ack-before-work-is-durable': ('mechanism',
        'A consumer told the source a message was done (deleted it, acknowledged it on delivery, let offsets be '
        'committed on a timer, answered a webhook 200) before the work it stood for was finished or stored, so a '
        'crash, restart or deploy in between lost the work with nothing left to redeliver and no error raised.'),
    'reconnect-surge-after-blip': ('mechanism',
        'After a short outage, failover or restart, every client reconnected, re-registered or re-fetched its '
        'full state within the same few seconds, and that synchronised surge overloaded the recovered service '
        'again and again, so the aftermath lasted far longer than the original blip.'),
    'wrong-clock-or-time-unit-drives-logic': ('mechanism',
        'A clock that was wrong (drifted, rolled back, switched for daylight saving) or a time value in the wrong '
        'unit or zone fed time-based logic (last-write-wins, time-based retention, item expiry, a local-time '
        'schedule, a zone-less timestamp), which then discarded, expired, shifted or repeated work without an error.'),
    'migration-silently-alters-values': ('mechanism',
        'A data migration, copy or reindex changed values on the way (cut text to a column width, dropped a '
        'timezone offset, stripped leading zeros, left long values out of the index) while reporting success, '
        'and the damage surfaced only when someone later needed the exact value.'),
    'handle-limit-hit-by-new-usage-pattern': ('mechanism',
        'A new usage pattern (many more partitions or shards, a connection per message, a thread pool per tenant) '
        'multiplied the open files, sockets or threads each process holds until a per-process limit (nofile, '
        'pids, descriptor limit) refused the next one, and the process failed or stopped accepting work.'),
    # ---- factor themes: how it was let through, hidden or prolonged
    'staging-cannot-reproduce-the-trigger': ('factor',
        'The change had been rehearsed or tested, but the test or staging environment lacked the thing that '
        'triggered the fault (a long-running session, production-sized data or partition counts, the affected '
        'device model, long real values, large accounts), so the rehearsal passed.'),
    'config-or-flag-changed-without-review': ('factor',
        'The faulty value reached production through a path that bypassed the review code would get (a feature '
        'flag console, a config repository with no required reviewers, a cloud console change by another team), '
        'so nobody who knew the dependent system saw it before it took effect.'),
    'aggregate-view-hides-the-outlier': ('factor',
        'The graph or alert the team relied on showed an aggregate (an average across nodes, a per-minute '
        'average or median) so the one failing node or the short periodic stall stayed inside normal range, and '
        'detection or diagnosis waited until someone looked at per-node or maximum values.'),
    'rollback-leaves-the-change-in-place': ('factor',
        'The team rolled back the release, but what had actually changed lived somewhere the rollback does not '
        'reach (a statement still running in the database, items already written with a bad value, a secret, a '
        'flag, a client-side config cache), so the incident continued while everyone believed it was undone.'),
    'handoff-omits-work-still-running': ('factor',
        'Someone started a change or job that was still running or settling when their shift ended, the handover '
        'did not mention it, and the next responder diagnosed the resulting symptoms from scratch, losing hours.'),
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
