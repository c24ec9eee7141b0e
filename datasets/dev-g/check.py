#!/usr/bin/env python3
"""dev-g self-check. Run from anywhere: python3 datasets/dev-g/check.py"""
import csv, json, os, re, sys
import yaml

D = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(D))
errs = []

catalog = yaml.safe_load(open(os.path.join(REPO, 'config', 'catalog.yaml')))['technologies']
NAMES = [t['name'] for t in catalog]
ALIASES = []
for t in catalog:
    for a in [t['name']] + list(t.get('aliases') or []):
        ALIASES.append((a, t['name']))
ALIASES.sort(key=lambda x: len(x[0]), reverse=True)  # longest alias first
CATEGORIES = set(re.findall(r'^\| `([a-z-]+)` \|', open(os.path.join(REPO, 'docs', 'taxonomy.md')).read(), re.M))
STYLES = {'blog', 'status-page', 'terse-log', 'chat-export', 'email-thread', 'ticket-history', 'sre-template',
          'one-paragraph', 'monthly-report', 'html-page', 'voice-memo', 'customer-letter', 'whiteboard-bullets',
          'handover-note', 'narrative-no-headings', 'json-export'}
REQUIRED = ('id', 'file', 'causal', 'mentionedOnly', 'faultCategory', 'lenient', 'style', 'themes', 'note')
MIN_WORDS, MAX_WORDS = 150, 480


def names_in(text):
    found, rest = set(), text
    for alias, name in ALIASES:
        pat = re.compile(r'(?<![A-Za-z0-9_])' + re.escape(alias) + r'(?![A-Za-z0-9_])', re.I)
        if pat.search(rest):
            found.add(name)
            rest = pat.sub(lambda m: '#' * len(m.group(0)), rest)
    return found


labels = {}
for i, line in enumerate(open(os.path.join(D, 'labels.jsonl')), 1):
    if not line.strip():
        continue
    try:
        rec = json.loads(line)
    except ValueError as e:
        errs.append(f'labels.jsonl line {i}: {e}')
        continue
    if rec.get('id') in labels:
        errs.append(f'duplicate label {rec.get("id")}')
    labels[rec.get('id')] = rec

files = {os.path.splitext(f)[0]: f for f in os.listdir(os.path.join(D, 'cases'))}
for cid in sorted(set(files) - set(labels)):
    errs.append(f'case file without label: {files[cid]}')
for cid in sorted(set(labels) - set(files)):
    errs.append(f'label without case file: {cid}')

texts = {}
for cid, rec in labels.items():
    miss = [k for k in REQUIRED if k not in rec]
    if miss:
        errs.append(f'{cid}: missing fields {miss}')
        continue
    if not cid.startswith('g-'):
        errs.append(f'{cid}: id must start with g-')
    if rec['style'] not in STYLES:
        errs.append(f'{cid}: style {rec["style"]} unknown')
    if not isinstance(rec['lenient'], bool):
        errs.append(f'{cid}: lenient not boolean')
    path = os.path.join(D, rec['file'])
    if cid in files and rec['file'] != 'cases/' + files[cid]:
        errs.append(f'{cid}: file field {rec["file"]} != cases/{files[cid]}')
    if not os.path.isfile(path):
        continue
    raw = open(path, encoding='utf-8').read()
    if path.endswith('.json'):
        try:
            obj = json.loads(raw)
            if sorted(obj) != ['body', 'date', 'severity', 'title']:
                errs.append(f'{cid}: json keys {sorted(obj)}')
        except ValueError as e:
            errs.append(f'{cid}: bad json {e}')
    texts[cid] = raw
    plain = re.sub(r'<[^>]+>', ' ', raw) if path.endswith('.html') else raw
    n = len(re.findall(r"[A-Za-z0-9][\w'’.-]*", plain))
    if not MIN_WORDS <= n <= MAX_WORDS:
        errs.append(f'{cid}: {n} words (want {MIN_WORDS}-{MAX_WORDS})')
    for t in rec['causal'] + rec['mentionedOnly']:
        if t not in NAMES:
            errs.append(f'{cid}: {t!r} is not a catalog name')
    if set(rec['causal']) & set(rec['mentionedOnly']):
        errs.append(f'{cid}: causal and mentionedOnly overlap')
    seen, want = names_in(raw), set(rec['causal']) | set(rec['mentionedOnly'])
    if seen != want:
        errs.append(f'{cid}: text names {sorted(seen)}, labels list {sorted(want)}')
    if rec['faultCategory'] not in CATEGORIES:
        errs.append(f'{cid}: category {rec["faultCategory"]} not in taxonomy')
    sec = rec.get('faultSecondary')
    if sec is not None and (sec not in CATEGORIES or sec == rec['faultCategory']):
        errs.append(f'{cid}: bad faultSecondary {sec}')
    if rec.get('decoyOf') and rec['themes']:
        errs.append(f'{cid}: decoy with themes')

themes = json.load(open(os.path.join(D, 'themes.json')))
tmap = {t['id']: t for t in themes}
for t in themes:
    mem = t['members']
    if len(mem) < 2:
        errs.append(f'theme {t["id"]}: {len(mem)} member(s)')
    listing = sorted(c for c, r in labels.items() if t['id'] in r.get('themes', []))
    if sorted(mem) != listing:
        errs.append(f'theme {t["id"]}: members {sorted(mem)} != labels {listing}')
    techs = []
    for m in mem:
        for c in labels.get(m, {}).get('causal', []):
            if c not in techs:
                techs.append(c)
    if sorted(techs) != sorted(t['technologies']):
        errs.append(f'theme {t["id"]}: technologies {t["technologies"]} != {techs}')
    everywhere = [c for c in techs if all(c in labels[m]['causal'] for m in mem if m in labels)]
    if t['crossTechnology'] != (len(techs) >= 2 and not everywhere):
        errs.append(f'theme {t["id"]}: crossTechnology wrong')
for cid, rec in labels.items():
    for th in rec.get('themes', []):
        if th not in tmap:
            errs.append(f'{cid}: theme {th} not in themes.json')
    if rec.get('decoyOf') and rec['decoyOf'] not in tmap:
        errs.append(f'{cid}: decoyOf {rec["decoyOf"]} unknown')


def spellings(v):
    v = int(v)
    s = {str(v), f'{v:,}'}
    if v >= 1000 and v % 100 == 0:
        s |= {f'{v / 1000:g}k', f'{v / 1000:g}K', f'{v / 1000:g},000'}
    if v >= 1000000 and v % 100000 == 0:
        s |= {f'{v / 1000000:g}M', f'{v / 1000000:g} million'}
    return s


rows = {}
with open(os.path.join(D, 'incidents.csv')) as f:
    for r in csv.DictReader(f):
        cid = r['id']
        rows[cid] = rows.get(cid, 0) + 1
        if cid not in labels:
            errs.append(f'incidents.csv: unknown id {cid}')
            continue
        if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', r['date']):
            errs.append(f'incidents.csv {cid}: bad date {r["date"]}')
        raw = texts.get(cid, '')
        if r['severity'] and r['severity'] not in raw:
            errs.append(f'incidents.csv {cid}: severity {r["severity"]} not in text')
        for k in ('duration_minutes', 'customers_affected', 'cost_usd'):
            if r[k] and not r[k].isdigit():
                errs.append(f'incidents.csv {cid}: {k} not an integer')
        for k in ('customers_affected', 'cost_usd'):
            if r[k].isdigit() and not any(s in raw for s in spellings(r[k])):
                errs.append(f'incidents.csv {cid}: {k} {r[k]} not stated in text')
for cid in labels:
    if rows.get(cid) != 1:
        errs.append(f'incidents.csv: {cid} has {rows.get(cid, 0)} rows')

if errs:
    print('\n'.join(errs))
    print(f'{len(errs)} problem(s)')
    sys.exit(1)
print(f'ok: {len(labels)} cases, {len(themes)} themes')
