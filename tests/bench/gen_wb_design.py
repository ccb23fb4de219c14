#!/usr/bin/env python3
"""A big design for the whiteboard's frame-time bench (azboard render --bench).

    tests/bench/gen_wb_design.py [NODES] [EDGES] > big.json

Nodes sit in a grid of columns (layers) inside two region boxes with zone
lanes; every edge goes from one column to the next, so the call graph has no
loop, and each edge has p = 0.5 so visit ratios stay near 1 however deep the
graph is. Deterministic (fixed seed): the same sizes give the same file.
"""
import json
import random
import sys

nodes_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 500
edges_wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
rng = random.Random(5)
kinds = [("app_service", "P1v3"), ("vm", "Standard_D4s_v5"), ("functions", "Premium_EP1"),
         ("redis", "Standard_C2"), ("sql_database", "GP_Gen5_4"), ("cosmos_db", "Provisioned"),
         ("service_bus", "Premium"), ("blob_storage", "Hot_LRS"), ("aks", "Standard_D4s_v5")]
rows = 20
cols = max(2, (nodes_wanted - 1 + rows - 1) // rows)
dx, dy = 220, 120
nodes = [{"id": "users", "label": "Users", "kind": "clients", "geo": "north-america",
          "x": 40, "y": rows * dy // 2}]
grid = []
for c in range(cols):
    col = []
    for r in range(rows):
        if len(nodes) >= nodes_wanted:
            break
        kind, sku = kinds[(c * 7 + r * 3) % len(kinds)]
        region = "eastus" if r < rows // 2 else "westus2"
        n = {"id": "n%d_%d" % (c, r), "label": "%s %d.%d" % (kind.replace("_", " "), c, r),
             "kind": kind, "sku": sku, "count": 2 + (r % 3), "region": region,
             "zones": [1 + (r % 3)], "x": 300 + c * dx, "y": 40 + r * dy + (40 if r >= rows // 2 else 0)}
        if kind == "cosmos_db":
            n["ru_per_s"] = 40000
        nodes.append(n)
        col.append(n["id"])
    if col:
        grid.append(col)
edges = []
for nid in grid[0]:
    edges.append({"from": "users", "to": nid, "p": round(1.0 / len(grid[0]), 6)})
seen = set()
while len(edges) < edges_wanted:
    c = rng.randrange(len(grid) - 1)
    a = rng.choice(grid[c])
    b = rng.choice(grid[c + 1])
    if (a, b) in seen:
        continue
    seen.add((a, b))
    e = {"from": a, "to": b, "p": 0.5, "request_kb": 1, "response_kb": 2}
    if b.startswith("n") and nodes[[n["id"] for n in nodes].index(b)]["kind"] == "service_bus":
        e["mode"] = "async"
    edges.append(e)
width = 300 + cols * dx
groups = []
for i, (region, label) in enumerate([("eastus", "East US"), ("westus2", "West US 2")]):
    y0 = 10 + i * (rows // 2 * dy + 40)
    h = rows // 2 * dy + 20
    groups.append({"id": region, "kind": "region", "region": region, "label": label,
                   "x": 270, "y": y0, "w": width - 250, "h": h})
json.dump({"format": "azboard/design", "version": 1,
           "name": "Bench: %d nodes, %d edges" % (len(nodes), len(edges)),
           "nodes": nodes, "edges": edges, "groups": groups,
           "workload": {"entry": "users", "rps": 1000}}, sys.stdout, indent=1)
sys.stdout.write("\n")
