# Builds the constructed SCB fixtures from real figures in observations.csv.
import csv, json, os
# The project's reference folder sits beside the repository (shared/); SHARED overrides it.
SHARED = os.environ.get('SHARED', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../shared'))
obs = {}
for r in csv.DictReader(open(os.path.join(SHARED, 'data/observations.csv'), encoding='utf-8')):
    obs[(r['municipality_code'], int(r['year']))] = int(r['value'])
names = {r['code']: r['name'] for r in csv.DictReader(open(os.path.join(SHARED, 'data/municipalities.csv'), encoding='utf-8'))}

def dim(label, codes, labels=None, extra=None):
    d = {"label": label, "category": {"index": {c: i for i, c in enumerate(codes)},
                                       "label": {c: (labels or {}).get(c, c) for c in codes}}}
    if extra: d.update(extra)
    return d

# 1. A population answer for five regions, 2023-2024 (real values), with one
#    ".." cell and one null cell (constructed missing values).
regions = ["00", "01", "0481", "0562", "1060"]
years = ["2023", "2024"]
values, status = [], {}
for r in regions:
    for y in years:
        i = len(values)
        if (r, int(y)) in obs:
            values.append(obs[(r, int(y))])
        else:
            values.append(None)
            if r == "00":
                status[str(i)] = ".."
ds = {
  "version": "2.0", "class": "dataset",
  "label": "Folkmängd efter region, tabellinnehåll och år",
  "source": "SCB", "updated": "2025-02-21T07:00:00Z",
  "note": ["CONSTRUCTED test fixture (not an SCB answer): shape from the documented json-stat2 format and the real TAB638 answer; values are real figures from /work/shared/data/observations.csv; the null and '..' cells are constructed missing values."],
  "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
  "id": ["Region", "ContentsCode", "Tid"],
  "size": [len(regions), 1, len(years)],
  "dimension": {
    "Region": dim("region", regions, names),
    "ContentsCode": dim("tabellinnehåll", ["BE0101N1"], {"BE0101N1": "Folkmängd"}),
    "Tid": dim("år", years),
  },
  "extension": {"px": {"infofile": "BE0101", "tableid": "TAB638", "decimals": 0}},
  "value": values,
  "status": status,
}
json.dump(ds, open('scb_constructed_TAB638_population_jsonstat2.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=2)

# 2. A sum check: Stockholms län 2024 as the sum of its 26 kommuner, laid out
#    as a summed variable. SCB's own län total is 2,473,307.
kom = sorted(c for (c, y) in obs if y == 2024 and len(c) == 4 and c.startswith("01"))
assert len(kom) == 26
vals = [obs[(c, 2024)] for c in kom]
assert sum(vals) == obs[("01", 2024)] == 2473307
ds2 = {
  "version": "2.0", "class": "dataset",
  "label": "CONSTRUCTED: Stockholms län 2024 split into its 26 kommuner as a summed variable",
  "source": "SCB", "updated": "2025-02-21T07:00:00Z",
  "note": ["CONSTRUCTED test fixture for summing a variable: the 26 values are the real 2024 populations of Stockholms läns kommuner (observations.csv); their sum is SCB's län figure 2473307."],
  "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
  "id": ["Region", "Delomrade", "ContentsCode", "Tid"],
  "size": [1, len(kom), 1, 1],
  "dimension": {
    "Region": dim("region", ["01"], names),
    "Delomrade": dim("delområde", kom, names),
    "ContentsCode": dim("tabellinnehåll", ["BE0101N1"], {"BE0101N1": "Folkmängd"}),
    "Tid": dim("år", ["2024"]),
  },
  "value": vals,
}
json.dump(ds2, open('scb_constructed_sum_stockholm_2024_jsonstat2.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=2)
print(values, status)
