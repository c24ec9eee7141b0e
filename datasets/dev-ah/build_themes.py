#!/usr/bin/env python3
"""dev-ah: rebuild themes.json from labels.jsonl. The mechanism and factor sentences live here."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {
    # ---- mechanism themes: what failed
    'name-lookup-fails-for-healthy-service': ('mechanism',
        'Clients could not find a service that was up and healthy because name resolution failed for it: a record '
        'was deleted or rendered out of a zone, a long TTL kept clients on a retired address, or the resolver '
        'dropped lookups, so the service itself never saw the failing requests.'),
    'certificate-change-breaks-client-trust': ('mechanism',
        'A TLS certificate expired or was replaced (renewed without its intermediate, signed by a new authority) '
        'and clients could no longer complete the handshake with an otherwise working endpoint, refusing the '
        'connection exactly as designed.'),
    'per-record-size-or-field-cap-rejects-write': ('mechanism',
        'A single record or schema object crossed a fixed cap the store enforces per item (item size, document '
        'size, message size, number of fields in an index), through slow growth or a lowered setting, and the '
        'store refused every such write outright instead of degrading.'),
    'store-policy-discards-still-needed-data': ('mechanism',
        'A store removed data that was still needed through its own eviction, retention, expiry or lifecycle '
        'policy acting as configured (LRU eviction, topic or queue retention, a lifecycle rule, slab eviction), '
        'with no error at the moment of loss.'),
    'flag-switches-on-unready-code-path': ('mechanism',
        'A feature flag or its fallback default switched live traffic onto a code path that had never run at '
        'production volume or was unfinished, and that path\'s load or behaviour caused the incident.'),
    'provider-zone-event-exposes-single-zone-setup': ('mechanism',
        'A cloud provider lost a zone or part of a region (power, control plane), and the team\'s service failed '
        'because part of its own setup silently depended on that zone or on scaling inside that region.'),
    # ---- factor themes: how it stayed hidden, got through or lasted
    'innocent-component-investigated-first': ('factor',
        'For a substantial part of the incident (a third of its length or more) responders investigated a component that '
        'turned out healthy, usually the datastore or service where the symptoms surfaced or the one just '
        'changed, and the real cause was found only after it was cleared.'),
    'customers-noticed-before-monitoring': ('factor',
        'The first signal came from customers, sellers or the contact centre, not from the team\'s alerts, '
        'because the monitoring watched a total, a proxy or an unwatched log that could not show the failure.'),
    'knowledge-held-by-one-absent-person': ('factor',
        'The knowledge needed to prevent or undo the failure (a manual renewal, a TTL routine, a redrive '
        'procedure, a replication slot) lived with one person who was away or had moved on, and nobody else '
        'knew to act.'),
    'response-tools-depend-on-failed-system': ('factor',
        'The tools needed to respond (deployment system, GitOps, break-glass credentials, runbooks, status '
        'page, VPN) depended on the very system or region that had failed, so the fix was delayed after the '
        'cause was known.'),
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
    print(f"{t['id']:46} {t['kind']:9} {len(t['members'])} {'cross ' if t['crossTechnology'] else 'single'} "
          f"{', '.join(t['technologies']) or '-'}  decoy: {', '.join(decoys) or '-'}")
