"""Every thread and pool job of the app starts here, and `stop_all()` stops and joins them all (on quit).

One-shot jobs (the Orange3 `concurrent` pattern): a plain function runs on the app's pool; its result
or exception arrives on the GUI thread; a job dies with its owner (nothing is delivered after).

    job = submit(evaluate, net, data, owner=self, on_done=self.show, on_error=self.show_error)
    job = submit(download, folder, pass_handle=True, ...)   # download(handle, folder): handle.report(x),
                                                              # handle.cancelled (set by cancel / stop_all)

Coalesced jobs (pictures): `CoalescedJobs.request(fn, args)` runs one job at a time; a request made
meanwhile waits, and a newer one replaces it. Training: `TrainingRunner` drives a core training
generator on its own QThread; a `Reporter` turns the generator's events into payloads in the worker
thread (labs: `Snapshots`; MNIST: training/run.py). An exception without an `on_error` reaches
the GUI through `registry().failed`. BLAS's threads: `limit_blas_threads()` (blas.py).
"""

from nnviz.gui.concurrency.blas import limit_blas_threads
from nnviz.gui.concurrency.jobs import CoalescedJobs, Job, JobHandle, submit
from nnviz.gui.concurrency.registry import Registry, describe, registry, stop_all
from nnviz.gui.concurrency.runs import Reporter, Snapshots, TrainingRunner

__all__ = ["CoalescedJobs", "Job", "JobHandle", "Registry", "Reporter", "Snapshots", "TrainingRunner", "describe",
           "limit_blas_threads", "registry", "stop_all", "submit"]
