#!/usr/bin/env python3
"""dev-ac: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'store-keeps-history-until-disk-full': ('mechanism',
        'A store retains its own history (write-ahead log pinned by a replication slot, segments a dead cleaner '
        'no longer compacts, snapshots and transaction logs never purged, daily indices outside any delete '
        'policy) with nothing trimming it, until the volume is full and the store stops accepting writes.'),
    'expiry-date-passes-unrenewed': ('mechanism',
        'A credential with a fixed lifetime (a push or TLS certificate, a service account password) reached its '
        'expiry date without being renewed, because the reminder or renewal step depended on a person, mailbox '
        'or checklist that was no longer doing it, and every client using it was refused at once.'),
    'cold-cache-misses-swamp-backing-tier': ('mechanism',
        'A cache lost most of its contents in one moment (a restart of a node without a replica, a flush, a '
        'key remap on resize, a full purge) and the resulting misses went to the database or origin behind it, '
        'which is sized for the usual miss rate and could not keep up.'),
    'lagging-copy-promoted-drops-acknowledged-writes': ('mechanism',
        'During a failover or election a copy that was behind (silently asynchronous, partitioned away, not '
        'in sync, or the side that stepped down) became the authoritative one, so writes the system had already '
        'acknowledged to clients were discarded or rolled back.'),
    'single-key-funnels-load-to-one-shard': ('mechanism',
        'The way data was keyed (a date as partition key, a tenant as message key, a constant hash tag, a '
        'single object prefix) sent a burst of traffic to one partition, slot or prefix, which hit its own '
        'per-unit limit while the rest of the table, topic, cluster or bucket sat idle.'),
    'policy-condition-rejects-own-service': ('mechanism',
        'An access rule on a store (bucket policy condition, IAM condition on a table, role mapping, host-based '
        'auth file) was changed or left in a form that no longer matched one of the team\'s own legitimate '
        'callers, so the store denied that caller every request while working exactly as written.'),
    # ---- factor themes: how it was amplified, let through or left undetected
    'stacked-immediate-retries-multiply-load': ('factor',
        'Clients or layers of clients repeated failed calls at once or at a fixed short interval, with no '
        'backoff, jitter or shared budget, so the component already at its limit received several times the '
        'real demand and could not recover until the retries were cut.'),
    'rolled-to-every-host-in-one-step': ('factor',
        'A change (a server list, a release, a network module, a security configuration, a load balancer '
        'setting) reached every host, region or domain in one run, with no first stage, canary or pause, so its '
        'fault hit everything before it could be seen on a part.'),
    'warning-delivered-where-nobody-acts': ('factor',
        'A warning that would have shown the problem in time did fire, but it went to a renamed channel, an '
        'on-call service with nobody on it, a departed person\'s mailbox, or a non-paging warning level, so '
        'nobody acted until the failure itself was reported.'),
    'hand-run-runbook-step-misapplied': ('factor',
        'A manual step from a runbook or checklist was run against the wrong target, swapped for a broader '
        'action, judged from a misleading signal, or checked once and not again, and that human step is what '
        'started or let through the incident.'),
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
