#!/usr/bin/env python3
"""dev-ah self-check. Run from anywhere: python3 datasets/dev-ah/check.py"""
import csv, json, os, re, sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
problems = []
say = problems.append

cat = yaml.safe_load(open(os.path.join(ROOT, 'config', 'catalog.yaml')))['technologies']
CANON = {t['name'] for t in cat}
SPELLINGS = sorted(((a, t['name']) for t in cat for a in [t['name']] + list(t.get('aliases') or [])),
                   key=lambda p: -len(p[0]))
TAX = set(re.findall(r'^\| `([a-z-]+)` \|', open(os.path.join(ROOT, 'docs', 'taxonomy.md')).read(), re.M))
STYLES = {'engineering-blog', 'internal-wiki', 'vendor-rfo', 'non-native-report', 'manager-summary', 'terse-ticket',
          'chat-log', 'email', 'sre-template', 'timeline-only', 'json-export', 'html-page', 'one-paragraph',
          'retro-bullets', 'status-update', 'incident-review', 'meeting-notes', 'handover-note', 'oncall-note',
          'monthly-review', 'plain-language', 'cab-followup', 'five-whys',
          'customer-email', 'cab-note', 'problem-record', 'support-bulletin',
          'customer-apology', 'exec-brief', 'partner-notice', 'standup-notes', 'board-update', 'town-hall-notes',
          'qa-faq'}
BANNED_ID_WORDS = ('trap', 'decoy', 'none', 'mention', 'cause')
# theme ids that may not be reused: those dev-ae's check already listed (dev-y's, dev-w's, golden, dev-ac's own ten,
# the eleven ids named in dev-ae's brief) and dev-ae's own eleven
USED_THEME_IDS = {
    'own-maintenance-pass-starves-requests', 'tight-failure-detector-deposes-healthy-leader',
    'lock-key-vanishes-while-holder-works', 'node-change-data-shuffle-saturates-cluster',
    'access-rule-shuts-out-legitimate-writer', 'payload-over-store-size-ceiling-rejected',
    'path-mtu-blackholes-full-size-packets',
    'connection-limit-after-client-change', 'cache-miss-storm-overloads-backing-db',
    'modulo-hashing-remap-on-node-change', 'storage-filled-by-runaway-growth', 'audit-rows-for-no-op-changes',
    'memory-filled-by-unreleased-data', 'broker-resource-alarm-blocks-all-publishers',
    'forgotten-holder-pins-cleanup-horizon', 'metadata-object-bloat', 'stall-triggers-repeated-failover',
    'hot-key-or-prefix-limit', 'gsi-write-capacity-throttles-base-table', 'retry-storm-amplifies-overload',
    'lease-timeout-shorter-than-processing', 'non-idempotent-work-reexecuted', 'schema-change-lock-blocks-all-queries',
    'unthrottled-background-work-starves-live-traffic', 'setting-lost-in-migration',
    'library-upgrade-silent-behaviour-change', 'app-gc-pauses-cause-timeouts', 'canary-blind-to-scale-or-time',
    'config-change-pushed-everywhere-at-once', 'credential-expiry-unrenewed', 'payment-processor-outage',
    'overbroad-deny-rule',
    'uncapped-accumulation-fills-volume', 'one-key-outruns-partition-limit',
    'multiplied-client-pools-exhaust-connection-slots', 'emptied-cache-stampedes-backing-store',
    'expiry-rule-removes-data-still-in-use', 'retry-without-backoff-multiplies-load',
    'change-lands-on-every-site-at-once', 'slow-build-up-nobody-was-watching', 'known-peak-met-without-headroom',
    'emergency-fix-deepens-outage', 'change-shipped-without-automated-check',
    'store-keeps-history-until-disk-full', 'expiry-date-passes-unrenewed', 'cold-cache-misses-swamp-backing-tier',
    'lagging-copy-promoted-drops-acknowledged-writes', 'single-key-funnels-load-to-one-shard',
    'policy-condition-rejects-own-service', 'stacked-immediate-retries-multiply-load', 'rolled-to-every-host-in-one-step',
    'warning-delivered-where-nobody-acts', 'hand-run-runbook-step-misapplied',
    'cache-emptied-reads-hit-backing-store', 'dated-peak-left-unsized', 'fixed-lifetime-credential-lapses',
    'fleetwide-change-without-first-batch', 'idle-sessions-hold-db-connection-slots', 'immediate-retries-pile-on',
    'lagging-replica-promoted-loses-writes', 'manual-runbook-step-goes-wrong', 'retained-files-fill-data-volume',
    'single-key-traffic-saturates-one-unit', 'warning-signal-missing-or-muted',
    'ddl-lock-queues-hot-table', 'client-upgrade-changes-a-default', 'acked-before-work-finished',
    'both-sides-accept-writes', 'replica-read-as-if-current', 'mass-reconnect-after-restart',
    'bulk-job-crowds-out-live-traffic', 'staging-could-not-show-it', 'change-pushed-without-review',
    'monitored-metric-blind-to-the-fault', 'rollback-left-the-change-live'}
ROOT_CAUSE_HEADING = re.compile(r'(?im)^\s*(?:#+\s*|<h\d[^>]*>\s*|\*\*\s*)?root[ -]cause')
FIELDS = ('id', 'file', 'causal', 'mentionedOnly', 'faultCategory', 'lenient', 'style', 'themes', 'note')


def catalog_names(text):
    """Canonical names whose name or alias occurs (longest spelling first, case-insensitive, word boundaries)."""
    hits = set()
    for spelling, canon in SPELLINGS:
        rx = re.compile(r'(?<![\w])' + re.escape(spelling) + r'(?![\w])', re.I)
        if rx.search(text):
            hits.add(canon)
            text = rx.sub(lambda m: '_' * len(m.group(0)), text)
    return hits


def words(text):
    return len(re.findall(r"[A-Za-z0-9][\w'’.-]*", text))


labels = {}
with open(os.path.join(HERE, 'labels.jsonl'), encoding='utf-8') as fh:
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as e:
            say(f'labels.jsonl:{n}: {e}')
            continue
        if rec.get('id') in labels:
            say(f'duplicate id {rec.get("id")}')
        labels[rec.get('id')] = rec

on_disk = {os.path.splitext(f)[0]: f for f in os.listdir(os.path.join(HERE, 'cases'))}
for cid in sorted(set(on_disk) - set(labels)):
    say(f'case without label: {on_disk[cid]}')
for cid in sorted(set(labels) - set(on_disk)):
    say(f'label without case: {cid}')

texts = {}
for cid, rec in labels.items():
    missing = [k for k in FIELDS if k not in rec]
    if missing:
        say(f'{cid}: missing {missing}')
        continue
    if not cid.startswith('ah-'):
        say(f'{cid}: id must start with ah-')
    if any(w in cid for w in BANNED_ID_WORDS):
        say(f'{cid}: id is not neutral')
    if rec['style'] not in STYLES:
        say(f'{cid}: unknown style {rec["style"]}')
    if not isinstance(rec['lenient'], bool):
        say(f'{cid}: lenient must be a boolean')
    if not isinstance(rec['themes'], list) or len(rec['themes']) > 3:
        say(f'{cid}: themes must be a list of 0 to 3')
    if not rec['note'].strip():
        say(f'{cid}: empty note')
    if cid in on_disk and rec['file'] != 'cases/' + on_disk[cid]:
        say(f'{cid}: file {rec["file"]} but disk has cases/{on_disk[cid]}')
    path = os.path.join(HERE, rec['file'])
    if not os.path.isfile(path):
        say(f'{cid}: {rec["file"]} missing')
        continue
    raw = open(path, encoding='utf-8').read()
    texts[cid] = raw
    body = raw
    if path.endswith('.json'):
        try:
            obj = json.loads(raw)
            if sorted(obj) != ['body', 'date', 'severity', 'title']:
                say(f'{cid}: json keys {sorted(obj)}')
            body = ' '.join(str(obj.get(k, '')) for k in ('title', 'date', 'severity', 'body'))
        except ValueError as e:
            say(f'{cid}: invalid json: {e}')
    if path.endswith('.html'):
        body = re.sub(r'<[^>]+>', ' ', raw)
    wc = words(body)
    if not 80 <= wc <= 600:
        say(f'{cid}: {wc} words, want 80-600')
    for t in rec['causal'] + rec['mentionedOnly']:
        if t not in CANON:
            say(f'{cid}: {t!r} not a catalog name')
    if set(rec['causal']) & set(rec['mentionedOnly']):
        say(f'{cid}: causal and mentionedOnly overlap')
    found = catalog_names(body)
    listed = set(rec['causal']) | set(rec['mentionedOnly'])
    if found != listed:
        say(f'{cid}: text names {sorted(found)} but labels list {sorted(listed)}')
    if rec['faultCategory'] not in TAX:
        say(f'{cid}: category {rec["faultCategory"]} not in taxonomy')
    sec = rec.get('faultSecondary')
    if sec is not None and (sec not in TAX or sec == rec['faultCategory']):
        say(f'{cid}: bad faultSecondary {sec}')
    if rec.get('decoyOf') and rec['themes']:
        say(f'{cid}: a decoy must have no themes')

n_rc = sum(1 for t in texts.values() if ROOT_CAUSE_HEADING.search(t))
if n_rc > 5:
    say(f'{n_rc} cases with a root-cause heading, want at most 5')
if sum(1 for r in labels.values() if r.get('lenient')) > 3:
    say('more than 3 lenient cases')

themes = json.load(open(os.path.join(HERE, 'themes.json')))
by_id = {t['id']: t for t in themes}
if len(by_id) != len(themes):
    say('duplicate theme id')
for t in themes:
    if t['id'] in USED_THEME_IDS:
        say(f'theme {t["id"]}: id already used (golden, dev-w, dev-y, dev-ac, dev-ae or a brief)')
    if t.get('kind') not in ('mechanism', 'factor'):
        say(f'theme {t["id"]}: kind must be mechanism or factor')
    mem = t['members']
    if not 2 <= len(mem) <= 5:
        say(f'theme {t["id"]}: {len(mem)} members, want 2-5')
    listed = sorted(c for c, r in labels.items() if t['id'] in r.get('themes', []))
    if sorted(mem) != listed:
        say(f'theme {t["id"]}: members {sorted(mem)} but labels give {listed}')
    techs = []
    for m in mem:
        techs += [c for c in labels.get(m, {}).get('causal', []) if c not in techs]
    if sorted(techs) != sorted(t['technologies']):
        say(f'theme {t["id"]}: technologies {t["technologies"]} should be {techs}')
    common = [c for c in techs if all(c in labels[m]['causal'] for m in mem if m in labels)]
    if t['crossTechnology'] != (len(techs) >= 2 and not common):
        say(f'theme {t["id"]}: crossTechnology wrong')
    styles = [labels[m]['style'] for m in mem if m in labels]
    if len(set(styles)) != len(styles):
        say(f'theme {t["id"]}: members share a style {styles}')
if not 9 <= len(themes) <= 11:
    say(f'{len(themes)} themes, want 9-11')

mech_ids = {t['id'] for t in themes if t.get('kind') == 'mechanism'}
factors = [t for t in themes if t.get('kind') == 'factor']
if len(factors) < 4:
    say(f'{len(factors)} factor themes, want at least 4')
for t in factors:
    origins = set()
    for m in t['members']:
        mine = [th for th in labels.get(m, {}).get('themes', []) if th in mech_ids]
        origins |= set(mine) if mine else {'(no mechanism theme)'}
    if len(origins) < 2:
        say(f'factor theme {t["id"]}: members come from {sorted(origins)} only, want at least two origins')
multi = sum(1 for r in labels.values() if len(r.get('themes', [])) >= 2)
if multi < 12:
    say(f'{multi} cases in two or more themes, want at least 12')

n_decoys = sum(1 for r in labels.values() if r.get('decoyOf'))
if not 2 <= n_decoys <= 4:
    say(f'{n_decoys} decoys, want 2-4 in total')
for cid, rec in labels.items():
    for th in rec.get('themes', []):
        if th not in by_id:
            say(f'{cid}: theme {th} not in themes.json')
    if rec.get('decoyOf') and rec['decoyOf'] not in by_id:
        say(f'{cid}: decoyOf {rec["decoyOf"]} is not a theme')

if len(labels) != 45:
    say(f'{len(labels)} cases, want 45')
n_causal = sum(1 for r in labels.values() if r['causal'])
n_not = sum(1 for r in labels.values() if not r['causal'])
if not 25 <= n_causal <= 31:
    say(f'{n_causal} causal cases, want about 25-30 (at most 31)')
if not 10 <= n_not <= 14:
    say(f'{n_not} cases with no causal technology, want 10-14')
missing_causes = CANON - {t for r in labels.values() for t in r['causal']}
if missing_causes:
    say(f'never causal: {sorted(missing_causes)}')


def forms(v):
    v = int(v)
    out = {str(v), f'{v:,}'}
    if v >= 1000 and v % 100 == 0:
        out |= {f'{v / 1000:g}k', f'{v / 1000:g}K', f'{v / 1000:g},000'}
    if v >= 1000000 and v % 100000 == 0:
        out |= {f'{v / 1000000:g}M', f'{v / 1000000:g} million'}
    return out


count = {}
with open(os.path.join(HERE, 'incidents.csv'), encoding='utf-8') as fh:
    rdr = csv.DictReader(fh)
    if rdr.fieldnames != ['id', 'date', 'severity', 'duration_minutes', 'customers_affected', 'cost_usd']:
        say(f'incidents.csv header {rdr.fieldnames}')
    for r in rdr:
        cid = r['id']
        count[cid] = count.get(cid, 0) + 1
        if cid not in labels:
            say(f'incidents.csv: unknown id {cid}')
            continue
        if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', r['date']):
            say(f'incidents.csv {cid}: bad date {r["date"]}')
        raw = texts.get(cid, '')
        if r['severity'] and r['severity'] not in raw:
            say(f'incidents.csv {cid}: severity {r["severity"]!r} not in text')
        if r['severity'] and catalog_names(r['severity']):
            say(f'incidents.csv {cid}: severity {r["severity"]!r} reads as a technology')
        for k in ('duration_minutes', 'customers_affected', 'cost_usd'):
            if r[k] and not r[k].isdigit():
                say(f'incidents.csv {cid}: {k} must be a whole number')
        for k in ('customers_affected', 'cost_usd'):
            if r[k].isdigit() and not any(s in raw for s in forms(r[k])):
                say(f'incidents.csv {cid}: {k} {r[k]} not stated in the text')
for cid in labels:
    if count.get(cid) != 1:
        say(f'incidents.csv: {cid} has {count.get(cid, 0)} rows')

if problems:
    print('\n'.join(problems))
    print(f'{len(problems)} problem(s)')
    sys.exit(1)
print(f'ok: {len(labels)} cases, {len(themes)} themes')
