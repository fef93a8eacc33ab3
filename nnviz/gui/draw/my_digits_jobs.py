"""The work My digits does off the GUI thread (on concurrency's pool): reading an opened folder, and
teaching the network someone's digits mixed with MNIST."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from nnviz.core import preprocess
from nnviz.core.evaluate import model_inputs
from nnviz.core.finetune import FINE_TUNE, before_after, personal_mix
from nnviz.core.training import BatchDone, Control, Finished, train
from nnviz.handwriting.image_folders import ImageFolder, load_image_folder


def read_folder(handle, root: Path) -> ImageFolder:
    """An ImageFolder read in a pool thread, reporting its progress and stopping when cancelled."""
    return load_image_folder(root, progress=lambda done, total: handle.report(done / max(total, 1)),
                             cancelled=lambda: handle.cancelled)


def teach(handle, flat: np.ndarray, net, card: dict, digits: ImageFolder, mnist) -> tuple[np.ndarray, object]:
    """Fine-tune a copy of net (weights `flat`) on the digits mixed with MNIST. Runs in a pool thread."""
    net = net.copy()
    net.flat[...] = flat
    before = net.copy()
    cfg = replace(FINE_TUNE, deskew=preprocess.wants_deskew(card))
    split = personal_mix(digits.x, digits.y, mnist.x_train, mnist.y_train, mnist.x_test, mnist.y_test,
                         np.random.default_rng(0))
    control = Control()
    total = cfg.epochs * len(split.x_train)
    for event in train(net, split, cfg, control):
        if handle.cancelled:
            control.stop()
        if isinstance(event, BatchDone):
            handle.report(event.samples / total)
        elif isinstance(event, Finished) and event.reason != "completed":
            raise RuntimeError(event.message or f"fine-tuning {event.reason}")
    mine, test = model_inputs(digits.x, card), model_inputs(mnist.x_test, card)
    return net.flat.copy(), before_after(before, net, mine, digits.y, test, mnist.y_test)


