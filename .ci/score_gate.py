#!/usr/bin/env python3
"""Regression gate: score the dev corpus and fail when any figure falls below the floors in .ci/floors.json.

Runs only where ../shared (the scorer and the dev corpus) sits beside the repo; a clone on its own skips it.
"""
import json
import subprocess
import sys
from pathlib import Path

repo = Path(__file__).resolve().parent.parent
shared = repo.parent / "shared"
scorer = shared / "eval" / "score.py"
if not scorer.exists():
    print("score gate: ../shared not found, skipped")
    sys.exit(0)
floors = json.loads((repo / ".ci" / "floors.json").read_text())
out = subprocess.run([sys.executable, str(scorer), "--corpus", str(shared / "corpus" / "dev"),
                      "--cmd", "extract file", "--json"], capture_output=True, text=True, check=True)
res = json.loads(out.stdout.strip().splitlines()[-1])
failures = []
for key in ("f1", "precision", "recall", "checks"):
    if res[key] < floors[key]:
        failures.append(f"{key} {res[key]:.3f} < floor {floors[key]}")
for field, floor in floors["fields"].items():
    if res["fields"].get(field, 0.0) < floor:
        failures.append(f"field {field} {res['fields'].get(field, 0.0):.3f} < floor {floor}")
summary = (f"claims F1 {res['f1']:.3f} (P {res['precision']:.3f} R {res['recall']:.3f}) checks {res['checks']:.3f}; "
           + " ".join(f"{k} {v:.2f}" for k, v in res["fields"].items()))
print(f"score gate: {summary}")
if failures:
    print("score gate FAILED: " + "; ".join(failures))
    sys.exit(1)
