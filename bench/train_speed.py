"""How fast nnviz trains: one epoch of 784-300-100-10 ReLU, batch 128, float32, on the MNIST training set.

Times, in one run and on the same data:
  nnviz  - nnviz.core.training.train (the code the app and `nnviz train` use), on MNIST as the app keeps
           it (uint8 pixels, converted batch by batch: that conversion is in nnviz's time);
  torch  - the same network and optimiser in PyTorch on the CPU (when torch is installed), on float32 data;
  floor  - the matrix products alone: per batch 3 forward matmuls, 3 dJ/dW and 2 dJ/da;
  passes - nnviz's forward and backward passes alone (Network.loss_and_grads on float32 batches).
Each contender runs twice: with --threads BLAS (and torch) threads, and with one (the GUI's setting).
Each figure is the median of --repeats epochs. Prints ONE JSON object (keys
nnviz_epoch_s, torch_epoch_s, floor_epoch_s, ratio_torch, ratio_floor, ..., ratio_floor_1thread,
ratio_torch_1thread). Targets: nnviz/torch <= 0.7, nnviz/floor <= 1.3 (default threads), <= 1.5 (one).

    python bench/train_speed.py [--optimizer momentum|sgd|adam] [--lr LR] [--repeats 3] [--threads N]
                                [--against GIT_REF]

--against REF adds nnviz's training as it was at that git commit (its nnviz/core, imported as a package of
its own) as one more contender, "before", at both thread counts, and prints ratio_before and
ratio_before_1thread (now / then): a change's cost measured in the same run as the code before it.

Data: the real MNIST from $NNVIZ_DATA, ../shared/data/mnist (next to the repo) or the user cache (never
downloads); MNIST-shaped random data when none is there.

The contenders with the same thread count run in turn, CHUNK batches at a time, so that other load on
the machine hits all of them alike (first those with --threads, then those with one). On a machine
shared with other busy processes, multi-threaded BLAS (OpenBLAS, and torch's OpenMP pool) slows down
erratically (a waiting thread spins on a core someone else needs); the one-thread figures are the
steadier ones.
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
SIZES = (784, 300, 100, 10)
BATCH = 128
DEFAULT_LR = {"sgd": 0.1, "momentum": 0.01, "adam": 1e-3}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--optimizer", choices=("sgd", "momentum", "adam"), default="momentum")
    p.add_argument("--lr", type=float, default=None, help="default: sgd 0.1, momentum 0.01, adam 0.001")
    p.add_argument("--repeats", type=int, default=3, help="epochs timed per contender (median reported)")
    p.add_argument("--threads", type=int, default=None, help="BLAS / torch threads (default: all CPUs)")
    p.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    p.add_argument("--against", metavar="GIT_REF", help="also time nnviz's training as it was at this commit")
    p.add_argument("--batches", type=int, default=None, help="time only this many batches of each epoch (quick)")
    return p.parse_args(argv)


def set_threads(n: int) -> None:
    """Before numpy is imported: the same thread count for every BLAS numpy may use."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)


def mnist_folder() -> Path | None:
    """The same search as tests/helpers.py, without downloading."""
    from nnviz.core.data import mnist

    dirs = [Path(os.environ["NNVIZ_DATA"])] if os.environ.get("NNVIZ_DATA") else []
    dirs += [(REPO / ".." / "shared" / "data" / "mnist").resolve(), mnist.cache_dir()]
    for d in dirs:
        if all((d / name).is_file() for name, _ in mnist.MNIST_FILES.values()):
            return d
    return None


def training_data():
    """(x (60000, 784) uint8 pixels as the app keeps MNIST (float32 for the random stand-in), y (60000,)
    int64, source)."""
    import numpy as np

    folder = mnist_folder()
    if folder is not None:
        from nnviz.core.data.mnist import load_folder

        data = load_folder(folder)
        return data.x_train, data.y_train, f"mnist ({folder})"
    rng = np.random.default_rng(0)
    return rng.random((60000, 784), dtype=np.float32), rng.integers(0, 10, 60000), "random (MNIST-shaped)"


# Each contender is a function epoch() -> generator that trains one epoch and yields the wall time of
# every CHUNK batches. main() runs the contenders' chunks in turn (round robin), so that the load that
# other processes put on the machine, which changes from second to second, hits every contender alike.
CHUNK = 20


def core_at(ref: str):
    """nnviz/core as it was at git commit `ref`, imported as the package nnviz_before.core (its modules import
    one another relatively, so they find their own versions)."""
    import importlib
    import io
    import subprocess
    import tarfile
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="nnviz-before-"))
    archive = subprocess.run(["git", "archive", ref, "nnviz/core"], cwd=REPO, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(root, filter="data")
    (root / "nnviz").rename(root / "nnviz_before")
    (root / "nnviz_before" / "__init__.py").write_text("")
    sys.path.insert(0, str(root))
    return importlib.import_module("nnviz_before.core")


def nnviz_epochs(x, y, optimizer: str, lr: float, core=None):
    """One epoch through nnviz.core.training.train (to its last BatchDone; the test evaluation is not timed).
    core: another version of nnviz.core (core_at) to time instead."""
    import importlib

    import numpy as np

    prefix = core.__name__ if core is not None else "nnviz.core"
    Network = importlib.import_module(prefix + ".network").Network
    training = importlib.import_module(prefix + ".training")
    BatchDone, Split, TrainConfig, train = training.BatchDone, training.Split, training.TrainConfig, training.train

    data = Split(x, y, x[:10], y[:10])
    net = Network(seed=0, dtype=np.float32)
    seeds = iter(range(10**6))

    def epoch(limit: int | None = None):
        cfg = TrainConfig(epochs=1, batch_size=BATCH, optimizer=optimizer, lr=lr, seed=next(seeds))
        events = train(net, data, cfg)
        done = False
        while not done:
            t0 = time.perf_counter()
            for _ in range(CHUNK):
                ev = next(events)
                if not isinstance(ev, BatchDone):
                    raise SystemExit(f"nnviz training stopped early ({ev}) at lr {lr}")
                if ev.batch == ev.n_batches - 1 or (limit and ev.batch + 1 >= limit):
                    done = True
                    break
            yield time.perf_counter() - t0
        events.close()

    return epoch


def torch_epochs(x, y, optimizer: str, lr: float, threads: int):
    """The same network and optimiser in PyTorch (CPU), or None without torch."""
    # Idle OpenMP threads sleep instead of spinning: otherwise torch's threads keep both cores busy
    # while the contender that runs after it in the round robin works, and that one looks slower.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(), torch.nn.Linear(300, 100),
                                torch.nn.ReLU(), torch.nn.Linear(100, 10))
    if optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=lr)
    elif optimizer == "momentum":  # v = 0.9 v + g; θ -= lr v: the same rule as nnviz's Momentum
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    n = len(xt)
    seeds = iter(range(10**6))

    def epoch(limit: int | None = None):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=torch.Generator().manual_seed(next(seeds)))
        starts = list(range(0, n, BATCH))[:limit]
        for b, i in enumerate(starts):
            idx = order[i:i + BATCH]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            if (b + 1) % CHUNK == 0 or b == len(starts) - 1:
                yield time.perf_counter() - t0
                t0 = time.perf_counter()
        if not torch.isfinite(loss):
            raise SystemExit(f"torch training diverged at lr {lr}")

    epoch.version = torch.__version__
    return epoch


def floor_epochs(x):
    """The matrix products of one epoch and nothing else, into preallocated arrays."""
    import numpy as np

    rng = np.random.default_rng(0)
    Ws = [rng.normal(0, 0.05, (o, i)).astype(np.float32) for i, o in zip(SIZES[:-1], SIZES[1:])]
    n = len(x)
    z = [np.empty((BATCH, o), np.float32) for o in SIZES[1:]]
    dW = [np.empty_like(W) for W in Ws]
    da = [np.empty((BATCH, i), np.float32) for i in SIZES[1:-1]]
    dz = [rng.normal(size=(BATCH, o)).astype(np.float32) for o in SIZES[1:]]
    scale = n / (n // BATCH * BATCH)  # the full batches stand for the whole epoch (its last one is partial)

    def epoch(limit: int | None = None):
        starts = list(range(0, n - BATCH + 1, BATCH))[:limit]
        t0 = time.perf_counter()
        for b, i in enumerate(starts):
            a0 = x[i:i + BATCH]
            np.matmul(a0, Ws[0].T, out=z[0])  # forward: z_l = a_{l-1} W_lᵀ
            np.matmul(z[0], Ws[1].T, out=z[1])
            np.matmul(z[1], Ws[2].T, out=z[2])
            np.matmul(dz[2].T, z[1], out=dW[2])  # backward: dJ/dW_l = dJ/dz_lᵀ a_{l-1}
            np.matmul(dz[2], Ws[2], out=da[1])  # dJ/da_{l-1} = dJ/dz_l W_l
            np.matmul(dz[1].T, z[0], out=dW[1])
            np.matmul(dz[1], Ws[1], out=da[0])
            np.matmul(dz[0].T, a0, out=dW[0])
            if (b + 1) % CHUNK == 0 or b == len(starts) - 1:
                yield (time.perf_counter() - t0) * scale
                t0 = time.perf_counter()

    epoch.scale = scale
    return epoch


def passes_epochs(x, y):
    """nnviz's forward and backward passes alone (Network.loss_and_grads on float32 batches): no conversion,
    no optimiser step, no events. Against the floor, what the passes' own element-wise work costs."""
    import numpy as np

    from nnviz.core.network import Network

    net = Network(seed=0, dtype=np.float32)
    targets = net.one_hot(y)
    n = len(x)
    scale = n / (n // BATCH * BATCH)

    def epoch(limit: int | None = None):
        starts = list(range(0, n - BATCH + 1, BATCH))[:limit]
        t0 = time.perf_counter()
        for b, i in enumerate(starts):
            net.loss_and_grads(x[i:i + BATCH], targets[i:i + BATCH])
            if (b + 1) % CHUNK == 0 or b == len(starts) - 1:
                yield (time.perf_counter() - t0) * scale
                t0 = time.perf_counter()

    epoch.scale = scale
    return epoch


def set_all_threads(n: int) -> None:
    """BLAS (numpy's OpenBLAS) and torch threads, at run time."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n, user_api="blas")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)


def round_robin(runners: dict, repeats: int, limit: int | None = None) -> dict[str, list[float]]:
    """Run `repeats` epochs of every contender, CHUNK batches of each in turn; seconds per epoch.

    runners: name -> (epoch function, threads to set before each of its chunks)."""
    times = {name: [] for name in runners}
    for _ in range(repeats):
        live = {name: run(limit) for name, (run, _) in runners.items()}
        spent = dict.fromkeys(runners, 0.0)
        cpu = dict.fromkeys(runners, 0.0)
        while live:
            for name in list(live):
                set_all_threads(runners[name][1])
                c0 = time.thread_time()
                try:
                    spent[name] += next(live[name])
                except StopIteration:
                    del live[name]
                    times[name].append(spent[name])
                    times.setdefault(name + "_cpu", []).append(cpu[name] * getattr(runners[name][0], "scale", 1.0))
                cpu[name] += time.thread_time() - c0
    return times


def contenders(args, threads: int, lr: float, x, y) -> tuple[dict, str | None]:
    """name -> (epoch function, threads): nnviz, floor and torch at `threads` and at one thread."""
    from nnviz.core.pixels import as_input

    xf = as_input(x)  # torch and the floor get float32 up front; nnviz converts batch by batch, as the app
    runners, version = {}, None
    before = core_at(args.against) if args.against else None
    for suffix, n in (("", threads), ("_1thread", 1)):
        runners["nnviz" + suffix] = (nnviz_epochs(x, y, args.optimizer, lr), n)
        if before is not None:
            runners["before" + suffix] = (nnviz_epochs(x, y, args.optimizer, lr, before), n)
        runners["floor" + suffix] = (floor_epochs(xf), n)
        runners["passes" + suffix] = (passes_epochs(xf, y), n)
        torch_run = None if args.no_torch else torch_epochs(xf, y, args.optimizer, lr, n)
        if torch_run is not None:
            runners["torch" + suffix] = (torch_run, n)
            version = torch_run.version
    return runners, version


def main(argv=None) -> None:
    args = parse_args(argv)
    threads = args.threads or os.cpu_count() or 1
    set_threads(threads)
    sys.path.insert(0, str(REPO))
    lr = args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]
    x, y, source = training_data()
    runners, torch_version = contenders(args, threads, lr, x, y)
    for run, n in runners.values():  # warm up: page faults, BLAS buffers, torch's allocator
        set_all_threads(n)
        for _ in run(limit=2 * CHUNK):
            pass
    load_before = os.getloadavg()[0]
    # One round robin per thread count: after a product with two BLAS threads, OpenBLAS's second thread
    # spins for a while (about 0.1 s) on the other core; a one-thread chunk right after it would run
    # beside that, and in the window BLAS has one thread throughout.
    times = {}
    for n in sorted({n for _, n in runners.values()}, reverse=True):
        times.update(round_robin({name: r for name, r in runners.items() if r[1] == n}, args.repeats, args.batches))
        time.sleep(0.5)  # OpenBLAS's threads go to sleep
    med = {name: round(statistics.median(ts), 4) for name, ts in times.items()}  # "<name>_cpu": CPU seconds
    ratio = lambda a, b: round(med[a] / med[b], 3) if b in med else None  # noqa: E731
    import numpy as np

    print(json.dumps({
        "nnviz_epoch_s": med["nnviz"],
        "torch_epoch_s": med.get("torch"),
        "floor_epoch_s": med["floor"],
        "ratio_torch": ratio("nnviz", "torch"),
        "ratio_floor": ratio("nnviz", "floor"),
        "nnviz_1thread_epoch_s": med["nnviz_1thread"],
        "torch_1thread_epoch_s": med.get("torch_1thread"),
        "floor_1thread_epoch_s": med["floor_1thread"],
        "ratio_floor_1thread": ratio("nnviz_1thread", "floor_1thread"),
        "ratio_torch_1thread": ratio("nnviz_1thread", "torch_1thread"),
        # The same from CPU seconds of the main thread (where a one-thread contender does all its work): not
        # inflated by the time a busy machine keeps a contender waiting for a core, so steadier under load.
        "cpu_ratio_floor_1thread": ratio("nnviz_1thread_cpu", "floor_1thread_cpu"),
        # nnviz's forward and backward alone against the floor: the part of the gap that no faster optimiser,
        # conversion or loop could close
        "passes_epoch_s": med["passes"], "passes_1thread_epoch_s": med["passes_1thread"],
        "ratio_passes_floor": ratio("passes", "floor"),
        "ratio_passes_floor_1thread": ratio("passes_1thread", "floor_1thread"),
        "cpu_ratio_torch_1thread": ratio("nnviz_1thread_cpu", "torch_1thread_cpu"),
        "targets": {"ratio_torch": 0.7, "ratio_floor": 1.3, "ratio_floor_1thread": 1.5},
        "optimizer": args.optimizer, "lr": lr, "batch_size": BATCH, "sizes": list(SIZES), "dtype": "float32",
        **({"against": args.against, "before_epoch_s": med["before"], "before_1thread_epoch_s": med["before_1thread"],
            "ratio_before": ratio("nnviz", "before"), "ratio_before_1thread": ratio("nnviz_1thread", "before_1thread"),
            # what the targets say, for the code then: the ratios to the floor it had in this run
            "before_ratio_floor": ratio("before", "floor"), "before_ratio_floor_1thread":
            ratio("before_1thread", "floor_1thread")} if args.against else {}),
        "threads": threads, "repeats": args.repeats,
        "data": source, "n_train": int(len(x)), "batches_timed": args.batches or "every one",
        **{f"{name}_all_s": [round(t, 4) for t in ts] for name, ts in times.items() if not name.endswith("_cpu")},
        **{f"{name}_s": med[name] for name in med if name.endswith("_1thread_cpu")},
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)], "cpus": os.cpu_count(),
        "numpy": np.__version__, "torch": torch_version,
    }))


if __name__ == "__main__":
    main()
