# Builds the constructed Kolada fixtures (documented v3 format) from real
# SCB population figures in shared/data/observations.csv.
import csv, json, os
# The project's reference folder sits beside the repository (shared/); SHARED overrides it.
SHARED = os.environ.get('SHARED', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../shared'))
obs = {}
for r in csv.DictReader(open(os.path.join(SHARED, 'data/observations.csv'), encoding='utf-8')):
    obs[(r['municipality_code'], int(r['year']))] = int(r['value'])

def row(kolada_id, scb_code, year, missing=False):
    v = None if missing else obs[(scb_code, year)]
    return {"kpi": "N01951", "municipality": kolada_id, "period": year,
            "values": [{"gender": "T", "count": 1, "status": "Missing" if missing else "", "value": v}]}

base = "https://api.kolada.se/v3/data/kpi/N01951/year/2023,2024"
p1 = [row("0000", "00", 2024), row("0001", "01", 2024), row("1060", "1060", 2023), row("1060", "1060", 2024)]
p2 = [row("0481", "0481", 2023), row("0481", "0481", 2024), row("0562", "0562", 2023), row("0562", "0562", 2024),
      row("0882", "0882", 2023, missing=True), row("0882", "0882", 2024)]
for name, vals, nxt in (("kolada_constructed_N01951_page1.json", p1, base + "?page=2&per_page=4"),
                        ("kolada_constructed_N01951_page2.json", p2, None)):
    json.dump({"count": len(vals), "values": vals, "next_url": nxt,
               "previous_url": None if nxt else base + "?page=1&per_page=4"},
              open(name, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
