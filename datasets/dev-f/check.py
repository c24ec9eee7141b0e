#!/usr/bin/env python3
"""Self-check for datasets/dev-f. Run from the repository root or from here."""
import csv, json, os, re, sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
problems = []
def bad(msg): problems.append(msg)

cat = yaml.safe_load(open(os.path.join(ROOT, 'config', 'catalog.yaml')))
canon = [t['name'] for t in cat['technologies']]
alias_list = sorted(((a, t['name']) for t in cat['technologies'] for a in [t['name']] + list(t.get('aliases') or [])),
                    key=lambda p: -len(p[0]))
taxonomy = open(os.path.join(ROOT, 'docs', 'taxonomy.md')).read()
CATS = set(re.findall(r'^\| `([a-z-]+)` \|', taxonomy, re.M))
STYLES = {'blog', 'status-page', 'terse-log', 'chat-export', 'email-thread', 'ticket-history', 'sre-template',
          'bullet-notes', 'terse-summary', 'monthly-report', 'html-page', 'json-export', 'narrative-no-headings'}

def named(text):
    hits, s = set(), text
    for a, c in alias_list:
        rx = re.compile(r'(?<![A-Za-z0-9_])' + re.escape(a) + r'(?![A-Za-z0-9_])', re.I)
        if rx.search(s):
            hits.add(c)
            s = rx.sub(lambda m: ' ' * len(m.group(0)), s)
    return hits

FIELDS = ['id', 'file', 'causal', 'mentionedOnly', 'faultCategory', 'lenient', 'style', 'themes', 'note']
labels = []
for n, line in enumerate(open(os.path.join(HERE, 'labels.jsonl')), 1):
    if line.strip():
        try:
            labels.append(json.loads(line))
        except ValueError as e:
            bad(f'labels.jsonl:{n}: {e}')
by = {}
for l in labels:
    if l['id'] in by:
        bad(f'duplicate id {l["id"]}')
    by[l['id']] = l

for f in sorted(os.listdir(os.path.join(HERE, 'cases'))):
    cid = os.path.splitext(f)[0]
    if cid not in by:
        bad(f'unlabelled case file {f}')
    elif by[cid]['file'] != 'cases/' + f:
        bad(f'{cid}: file field does not match cases/{f}')

wc = {}
for l in labels:
    cid = l['id']
    for k in FIELDS:
        if k not in l:
            bad(f'{cid}: missing {k}')
    if not cid.startswith('f-'):
        bad(f'{cid}: id must start with f-')
    if l.get('style') not in STYLES:
        bad(f'{cid}: unknown style {l.get("style")}')
    if not isinstance(l.get('lenient'), bool):
        bad(f'{cid}: lenient must be boolean')
    p = os.path.join(HERE, l['file'])
    if not os.path.isfile(p):
        bad(f'{cid}: missing file {l["file"]}'); continue
    if os.path.splitext(os.path.basename(p))[0] != cid:
        bad(f'{cid}: file name is not the id')
    raw = open(p, encoding='utf-8').read()
    if p.endswith('.json'):
        try:
            o = json.loads(raw)
            if set(o) != {'title', 'date', 'severity', 'body'}:
                bad(f'{cid}: json keys {sorted(o)}')
        except ValueError as e:
            bad(f'{cid}: invalid json: {e}')
    text = re.sub(r'<[^>]+>', ' ', raw) if p.endswith('.html') else raw
    wc[cid] = len(re.findall(r"[A-Za-z0-9][\w'’.-]*", text))
    if not 180 <= wc[cid] <= 700:
        bad(f'{cid}: {wc[cid]} words, outside 180-700')
    for t in l['causal'] + l['mentionedOnly']:
        if t not in canon:
            bad(f'{cid}: {t} is not a catalog name')
    if set(l['causal']) & set(l['mentionedOnly']):
        bad(f'{cid}: a technology is both causal and mentionedOnly')
    got, want = named(raw), set(l['causal']) | set(l['mentionedOnly'])
    for t in sorted(got - want):
        bad(f'{cid}: text names {t}, not labelled')
    for t in sorted(want - got):
        bad(f'{cid}: {t} labelled, not named in text')
    if l['faultCategory'] not in CATS:
        bad(f'{cid}: faultCategory {l["faultCategory"]} not in taxonomy')
    s = l.get('faultSecondary')
    if s is not None and (s not in CATS or s == l['faultCategory']):
        bad(f'{cid}: faultSecondary {s} invalid')
    if l.get('decoyOf') and l['themes']:
        bad(f'{cid}: a decoy must have no themes')

themes = json.load(open(os.path.join(HERE, 'themes.json')))
tids = {t['id'] for t in themes}
for t in themes:
    if len(t['members']) < 2:
        bad(f'theme {t["id"]} has fewer than 2 members')
    techs = []
    for m in t['members']:
        if m not in by:
            bad(f'theme {t["id"]}: unknown member {m}'); continue
        if t['id'] not in by[m]['themes']:
            bad(f'theme {t["id"]}: {m} does not list it')
        techs += [c for c in by[m]['causal'] if c not in techs]
    if sorted(techs) != sorted(t['technologies']):
        bad(f'theme {t["id"]}: technologies mismatch')
    common = [c for c in techs if all(c in by[m]['causal'] for m in t['members'] if m in by)]
    if (len(techs) >= 2 and not common) != t['crossTechnology']:
        bad(f'theme {t["id"]}: crossTechnology wrong')
for l in labels:
    for th in l['themes']:
        if th not in tids:
            bad(f'{l["id"]}: unknown theme {th}')
        elif l['id'] not in next(t for t in themes if t['id'] == th)['members']:
            bad(f'{l["id"]}: lists {th} but is not a member')
    if l.get('decoyOf') and l['decoyOf'] not in tids:
        bad(f'{l["id"]}: decoyOf {l["decoyOf"]} is not a theme')

def forms(v):
    v = int(v)
    out = {str(v), f'{v:,}'}
    if v >= 1000 and v % 100 == 0:
        out |= {f'{v / 1000:g}k', f'{v / 1000:g}K'}
    if v >= 1000000 and v % 100000 == 0:
        out |= {f'{v / 1000000:g}M', f'{v / 1000000:g} million'}
    return out

count = {}
for r in csv.DictReader(open(os.path.join(HERE, 'incidents.csv'))):
    cid = r['id']
    count[cid] = count.get(cid, 0) + 1
    if cid not in by:
        bad(f'csv: unknown id {cid}'); continue
    if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', r['date'] or ''):
        bad(f'csv {cid}: date {r["date"]!r}')
    raw = open(os.path.join(HERE, by[cid]['file']), encoding='utf-8').read()
    if r['severity'] and r['severity'] not in raw:
        bad(f'csv {cid}: severity {r["severity"]!r} not in text')
    for k in ('duration_minutes', 'customers_affected', 'cost_usd'):
        if r[k] and not r[k].isdigit():
            bad(f'csv {cid}: {k} not a whole number')
    for k in ('customers_affected', 'cost_usd'):
        if r[k] and r[k].isdigit() and not any(x in raw for x in forms(r[k])):
            bad(f'csv {cid}: {k}={r[k]} not stated in text')
for cid in by:
    if count.get(cid) != 1:
        bad(f'csv: {cid} has {count.get(cid, 0)} rows')

if problems:
    print('\n'.join(problems)); print(f'{len(problems)} problem(s)'); sys.exit(1)
print(f'ok: {len(labels)} cases, {len(themes)} themes')
