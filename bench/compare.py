"""What N runs in lockstep cost against N runs one after another (issue 26: at most 1.15 × N times one run).

    python bench/compare.py [--batches 200] [--repeats 3]

Three runs of 784-300-100-10 (the g preset: sigmoid, ReLU, tanh) on the same MNIST batches, trained in lockstep
by nnviz.core.compare, against the same three trained one at a time by the same code, in the same process,
interleaved. Prints one JSON object: lockstep_s, separate_s (medians over --repeats) and lockstep_ratio
(lockstep / separate: 1 means lockstep costs what three single runs cost; the target is ≤ 1.15).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    from train_speed import mnist_folder

    from nnviz.core.compare import PRESETS, compare
    from nnviz.core.data.mnist import load_folder
    from nnviz.core.training import Split

    folder = mnist_folder()
    if folder is None:
        raise SystemExit("MNIST not found: set NNVIZ_DATA")
    d = load_folder(folder)
    n = args.batches * 128
    data = Split(d.x_train[:n], d.y_train[:n], d.x_test[:1000], d.y_test[:1000])
    specs = PRESETS["g"]
    lockstep, separate = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        compare(specs, data, epochs=1)
        lockstep.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for spec in specs:
            compare([spec], data, epochs=1)
        separate.append(time.perf_counter() - t0)
    lock, sep = statistics.median(lockstep), statistics.median(separate)
    print(json.dumps({"lockstep_s": round(lock, 3), "separate_s": round(sep, 3), "lockstep_ratio": round(lock / sep, 3),
                      "runs": len(specs), "batches": args.batches, "repeats": args.repeats, "target": 1.15,
                      "load_average_1min": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
