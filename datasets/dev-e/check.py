#!/usr/bin/env python3
"""Self-check for datasets/dev-e. Run from this directory: python3 check.py"""
import csv, json, os, re, sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
errors = []
def err(msg): errors.append(msg)

catalog = yaml.safe_load(open(os.path.join(ROOT, 'config', 'catalog.yaml')))
names = [t['name'] for t in catalog['technologies']]
aliases = []  # (alias, canonical)
for t in catalog['technologies']:
    for a in [t['name']] + list(t.get('aliases') or []):
        aliases.append((a, t['name']))
aliases.sort(key=lambda x: -len(x[0]))

tax = open(os.path.join(ROOT, 'docs', 'taxonomy.md')).read()
categories = set(re.findall(r'^\| `([a-z-]+)` \|', tax, re.M))

def mentions(text):
    found = set()
    masked = text
    for alias, canon in aliases:
        pat = re.compile(r'(?<![A-Za-z0-9_])' + re.escape(alias) + r'(?![A-Za-z0-9_])', re.I)
        def rep(m):
            found.add(canon)
            return ' ' * len(m.group(0))
        masked = pat.sub(rep, masked)
    return found

REQ = ['id', 'file', 'causal', 'mentionedOnly', 'faultCategory', 'lenient', 'style', 'themes', 'note']
labels = []
for i, line in enumerate(open(os.path.join(HERE, 'labels.jsonl')), 1):
    if not line.strip():
        continue
    try:
        labels.append(json.loads(line))
    except Exception as e:
        err(f'labels.jsonl line {i}: {e}')
ids = [l['id'] for l in labels]
for d in set(x for x in ids if ids.count(x) > 1):
    err(f'duplicate id {d}')
byid = {l['id']: l for l in labels}

case_files = sorted(os.listdir(os.path.join(HERE, 'cases')))
for f in case_files:
    cid = os.path.splitext(f)[0]
    if cid not in byid:
        err(f'case without label: {f}')
    elif byid[cid]['file'] != 'cases/' + f:
        err(f'{cid}: file field {byid[cid]["file"]} != cases/{f}')

words = {}
for l in labels:
    cid = l['id']
    for k in REQ:
        if k not in l:
            err(f'{cid}: missing field {k}')
    if not cid.startswith('e-'):
        err(f'{cid}: id must start with e-')
    path = os.path.join(HERE, l['file'])
    if not os.path.exists(path):
        err(f'{cid}: file missing'); continue
    if os.path.splitext(os.path.basename(path))[0] != cid:
        err(f'{cid}: file not named after id')
    text = open(path, encoding='utf-8').read()
    if path.endswith('.json'):
        try:
            obj = json.loads(text)
            if set(obj) != {'title', 'date', 'severity', 'body'}:
                err(f'{cid}: json keys {sorted(obj)}')
        except Exception as e:
            err(f'{cid}: bad json {e}')
    plain = re.sub(r'<[^>]+>', ' ', text) if path.endswith('.html') else text
    n = len(re.findall(r"[A-Za-z0-9][\w'’.-]*", plain))
    words[cid] = n
    if not 100 <= n <= 1200:
        err(f'{cid}: {n} words outside 100-1200')
    for t in l['causal'] + l['mentionedOnly']:
        if t not in names:
            err(f'{cid}: {t} not a catalog name')
    if set(l['causal']) & set(l['mentionedOnly']):
        err(f'{cid}: technology both causal and mentionedOnly')
    found = mentions(text)
    labelled = set(l['causal']) | set(l['mentionedOnly'])
    for t in sorted(found - labelled):
        err(f'{cid}: text names {t} but it is not labelled')
    for t in sorted(labelled - found):
        err(f'{cid}: {t} labelled but not named in the text')
    if l['faultCategory'] not in categories:
        err(f'{cid}: bad faultCategory {l["faultCategory"]}')
    sec = l.get('faultSecondary')
    if sec is not None and (sec not in categories or sec == l['faultCategory']):
        err(f'{cid}: bad faultSecondary {sec}')
    if l.get('decoyOf') and l['themes']:
        err(f'{cid}: decoy with themes')

themes = json.load(open(os.path.join(HERE, 'themes.json')))
theme_ids = {t['id'] for t in themes}
for t in themes:
    if len(t['members']) < 2:
        err(f'theme {t["id"]}: fewer than 2 members')
    techs = []
    for m in t['members']:
        if m not in byid:
            err(f'theme {t["id"]}: member {m} does not exist'); continue
        if t['id'] not in byid[m]['themes']:
            err(f'theme {t["id"]}: member {m} does not list it')
        for c in byid[m]['causal']:
            if c not in techs:
                techs.append(c)
    if sorted(techs) != sorted(t['technologies']):
        err(f'theme {t["id"]}: technologies {t["technologies"]} != {techs}')
    every = [c for c in techs if all(c in byid[m]['causal'] for m in t['members'] if m in byid)]
    cross = len(techs) >= 2 and not every
    if cross != t['crossTechnology']:
        err(f'theme {t["id"]}: crossTechnology should be {cross}')
for l in labels:
    for th in l['themes']:
        if th not in theme_ids:
            err(f'{l["id"]}: unknown theme {th}')
        elif l['id'] not in next(t for t in themes if t['id'] == th)['members']:
            err(f'{l["id"]}: lists {th} but is not a member')
    if l.get('decoyOf') and l['decoyOf'] not in theme_ids:
        err(f'{l["id"]}: decoyOf unknown theme {l["decoyOf"]}')

def variants(v):
    v = int(float(v))
    out = {str(v), f'{v:,}', f'{v:,}'.replace(',', ' ')}
    if v >= 1000 and v % 1000 == 0:
        out.add(f'{v // 1000}k'); out.add(f'{v // 1000},000')
    if v >= 1000 and v % 100 == 0:
        out.add(f'{v / 1000:g}k')
    if v >= 1000000 and v % 100000 == 0:
        out.add(f'{v / 1000000:g}M'); out.add(f'{v / 1000000:g} million')
    return out

rows = list(csv.DictReader(open(os.path.join(HERE, 'incidents.csv'))))
seen = {}
for r in rows:
    cid = r['id']
    seen[cid] = seen.get(cid, 0) + 1
    if cid not in byid:
        err(f'csv: unknown id {cid}'); continue
    if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', r['date'] or ''):
        err(f'csv {cid}: bad date {r["date"]}')
    text = open(os.path.join(HERE, byid[cid]['file']), encoding='utf-8').read()
    if r['severity'] and r['severity'] not in text:
        err(f'csv {cid}: severity {r["severity"]!r} not written in the text')
    for k in ('duration_minutes', 'customers_affected', 'cost_usd'):
        if r[k] and not re.fullmatch(r'\d+', r[k]):
            err(f'csv {cid}: {k} not numeric')
    for k in ('customers_affected', 'cost_usd'):
        if r[k] and not any(x in text for x in variants(r[k])):
            err(f'csv {cid}: {k}={r[k]} not stated in the text')
for cid in byid:
    if seen.get(cid, 0) != 1:
        err(f'csv: {cid} has {seen.get(cid, 0)} rows')

if errors:
    print('\n'.join(errors))
    print(f'{len(errors)} problem(s)')
    sys.exit(1)
print(f'ok: {len(labels)} cases, {len(themes)} themes, {sum(len(t["members"]) for t in themes)} memberships, '
      f'words {min(words.values())}-{max(words.values())}')
