#!/usr/bin/env python3
"""dev-t self-check. Run from anywhere: python3 datasets/dev-t/check.py"""
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
STYLES = {'blog', 'status-page', 'terse-log', 'chat-export', 'email-thread', 'ticket-history', 'sre-template',
          'one-paragraph', 'monthly-report', 'html-page', 'voice-memo', 'customer-letter', 'whiteboard-bullets',
          'handover-note', 'narrative-no-headings', 'json-export', 'wiki-page', 'pagerduty-export',
          'incident-review', 'retro-notes', 'two-line-log', 'quarterly-report',
          'ticket-export', 'slack-thread', 'teams-thread', 'paging-export', 'timeline-table', 'weekly-ops-review',
          'metrics-review', 'engineering-blog', 'oss-incident-report', 'rfo-letter', 'talk-retro',
          'sre-template-sparse', 'timeline-only', 'five-whys', 'incident-form', 'short-template'}
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
    if not cid.startswith('t-'):
        say(f'{cid}: id must start with t-')
    if re.search(r'trap|decoy|none|mention|cause', cid):
        say(f'{cid}: id is not neutral')
    if rec['style'] not in STYLES:
        say(f'{cid}: unknown style {rec["style"]}')
    if not isinstance(rec['lenient'], bool):
        say(f'{cid}: lenient must be a boolean')
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
    if not 60 <= wc <= 700:
        say(f'{cid}: {wc} words, want 60-700')
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

if sum(1 for r in labels.values() if r.get('lenient')) > 3:
    say('more than 3 lenient cases')
if len(labels) != 70:
    say(f'{len(labels)} cases, want 70')
n_causal = sum(1 for r in labels.values() if r['causal'])
n_named = sum(1 for r in labels.values() if not r['causal'] and r['mentionedOnly'])
if not 27 <= n_causal <= 33:
    say(f'{n_causal} causal cases, want about 30')
causes_used = {c for r in labels.values() for c in r['causal']}
if causes_used != CANON:
    say(f'technologies never causal: {sorted(CANON - causes_used)}')
if not 6 <= len(json.load(open(os.path.join(HERE, 'themes.json')))) <= 7:
    say('want 6 to 7 themes')

themes = json.load(open(os.path.join(HERE, 'themes.json')))
by_id = {t['id']: t for t in themes}
if len(by_id) != len(themes):
    say('duplicate theme id')
for t in themes:
    mem = t['members']
    if len(mem) < 2:
        say(f'theme {t["id"]}: only {len(mem)} member(s)')
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
n_decoys = sum(1 for r in labels.values() if r.get('decoyOf'))
if not 3 <= n_decoys <= 4:
    say(f'{n_decoys} decoys, want 3-4 in total')
for cid, rec in labels.items():
    if rec.get('decoyOf') and rec['causal']:
        say(f'{cid}: a decoy must have no causal technology')
    for th in rec.get('themes', []):
        if th not in by_id:
            say(f'{cid}: theme {th} not in themes.json')
    if rec.get('decoyOf') and rec['decoyOf'] not in by_id:
        say(f'{cid}: decoyOf {rec["decoyOf"]} is not a theme')


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
