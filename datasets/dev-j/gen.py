#!/usr/bin/env python3
"""dev-j: write cases/, labels.jsonl and incidents.csv from the case modules (cases_*.py)."""
import json, os, glob, importlib.util
HERE = os.path.dirname(os.path.abspath(__file__))
C = []
for f in sorted(glob.glob(os.path.join(HERE, 'cases_*.py'))):
    spec = importlib.util.spec_from_file_location('m', f); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    C += m.C
os.makedirs(os.path.join(HERE, 'cases'), exist_ok=True)
for f in glob.glob(os.path.join(HERE, 'cases', '*')):
    os.remove(f)
L, rows = [], ['id,date,severity,duration_minutes,customers_affected,cost_usd']
for c in C:
    fn = f"cases/{c['id']}.{c['ext']}"
    text = c['text'].strip() + '\n'
    if c['ext'] == 'json':
        text = json.dumps({'title': c['title'], 'date': c['date'], 'severity': c['sev'], 'body': c['text'].strip()}, indent=2) + '\n'
    open(os.path.join(HERE, fn), 'w', encoding='utf-8').write(text)
    rec = {'id': c['id'], 'file': fn, 'causal': c['causal'], 'mentionedOnly': c['mentioned'], 'faultCategory': c['cat']}
    if c['sec']:
        rec['faultSecondary'] = c['sec']
    rec.update({'lenient': c.get('lenient', False), 'style': c['style'], 'themes': c['themes']})
    if c['decoy']:
        rec['decoyOf'] = c['decoy']
    rec['note'] = c['note']
    L.append(json.dumps(rec, ensure_ascii=False))
    rows.append(','.join(str(x) for x in (c['id'], c['date'], c['sev'], c['dur'], c['cust'], c['cost'])))
open(os.path.join(HERE, 'labels.jsonl'), 'w', encoding='utf-8').write('\n'.join(L) + '\n')
open(os.path.join(HERE, 'incidents.csv'), 'w', encoding='utf-8').write('\n'.join(rows) + '\n')
print(len(C), 'cases')
