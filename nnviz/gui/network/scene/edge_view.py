"""Which edges NetworkView draws and how (mixed in): top-k, the hovered/selected neuron's fan, the
off-thread all-edges picture, the inspector's edge values, and the legend line that says so."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QPixmap

from nnviz.gui import colormaps
from nnviz.gui.network.scene import describe
from nnviz.gui.network.scene import edges as E
from nnviz.gui.network.scene import values as V
from nnviz.gui.network.scene.layout import SCENE_H
from nnviz.gui.network.scene.legend import set_bar

SCENE_W = 1600.0
ALL_EDGES_INTERVAL_MS = 1000  # new weights re-render the all-edges picture at most about once a second


class EdgesMixin:
    """Needs: state, sizes, L, centers, start_x, topk_item, fan_item, all_item, renderer, edge_bar, legend,
    edge_mode, edge_quantity, k, per_target, per_layer, hovered, selected, _edge_override, trace()."""

    def _forward_edge_values(self) -> list[np.ndarray]:
        Ws = [W for W, _ in self.state.network.weights()]
        tr = self.trace()
        if self.edge_quantity == "wa" and tr is not None:
            acts = tr.activations()
            return [W * acts[l][None, :] for l, W in enumerate(Ws)]
        return Ws

    def refresh_edges(self, weights_changed: bool = True) -> None:
        """Recompute the drawn edge sets for the current mode (or the inspector's edge values)."""
        self._last_edges = time.monotonic()
        self._weights_dirty = False
        ov = self._edge_override
        values = self._forward_edge_values()
        if ov is not None and ov.l is None:  # the override hides every edge
            lims = V.edge_limits(values, per_layer=True)
            mode, topk, bar = "none", E.EdgeSet.empty(), 1.0
            title = describe.edge_legend("", False, ov.title or "no edges in this step")
        elif ov is not None:
            l = ov.l
            values = list(values)
            values[l - 1] = ov.values
            lims = V.edge_limits(values, per_layer=True)  # the shown layer keeps its own scale
            mode = "topk" if self.edge_mode != "none" else "none"
            topk = E.top_k([ov.values], [lims[l - 1]], ov.k, False) if mode == "topk" else E.EdgeSet.empty()
            topk.l[:] = l
            bar, title = lims[l - 1], describe.edge_legend("", False, ov.title)
        else:
            lims = V.edge_limits(values, self.per_layer)
            mode = self.edge_mode
            topk = E.top_k(values, lims, self.k, self.per_target) if mode == "topk" else E.EdgeSet.empty()
            bar = 1.0 if self.per_layer else lims[0]
            title = describe.edge_legend(self.edge_quantity, self.per_layer)
        self._edge_values, self._edge_lims, self._topk_set = values, lims, topk
        self.topk_item.set_edges(topk, self.centers, self.start_x)
        if mode == "all":
            if weights_changed or self._all_edge_values is None:
                self._request_all_edges()
        else:
            self.all_item.setVisible(False)
        self._update_fan()
        tip = describe.EDGE_SCALE_TIP[self.per_layer and ov is None]
        set_bar(self.edge_bar, colormaps.diverging_cmap(), -bar, bar, title, tip)
        self.edge_bar.setVisible(not (ov is not None and ov.l is None))  # no edges: no colour bar for them
        if ov is not None and ov.l is None:
            self._mode_line = "edges: none in this step"
        elif ov is not None:
            self._mode_line = describe.mode_legend(mode, len(topk), False, ov.title, ov.l)
        else:
            kk = E.per_target_count(self.k, self.sizes) if self.per_target else 0
            self._mode_line = describe.mode_legend(mode, self.k, kk, self.edge_quantity)
        self._update_legend()

    def _update_legend(self) -> None:
        """Two lines under the scene: which edges are drawn, and the hovered neuron's numbers."""
        focus = self.hovered or self.selected
        info = "hover a neuron for z, a and its formula; click it for its weights"
        if focus is not None:
            info = " · ".join(self.tooltip_text(*focus).split("\n")[:3])
        self.legend.setText(f"{self._mode_line}<br><span style='color:{colormaps.TEXT.name()}'>{info}</span>",
                            color=colormaps.TEXT_DIM.name())  # (the theme's colours)

    def _request_all_edges(self) -> None:
        self._all_edge_values = self._edge_values
        if self.renderer.busy:
            self._all_pending = True
            return
        self.renderer.request(self._edge_values, self._edge_lims, self.centers, QRectF(0, 0, SCENE_W, SCENE_H),
                              self.start_x)

    def _on_all_edges(self, image, rect: QRectF) -> None:
        if self._all_pending:  # the weights changed meanwhile (training): paint again, but not at once
            self._all_pending = False
            QTimer.singleShot(ALL_EDGES_INTERVAL_MS, self._request_all_edges)
        self.all_item.setPixmap(QPixmap.fromImage(image))
        self.all_item.setScale(rect.width() / max(1, image.width()))
        self.all_item.setVisible(self.edge_mode == "all")
        self.allEdgesImageReady.emit()

    def _update_fan(self) -> None:
        focus = self.hovered or self.selected
        hidden = self._edge_override is not None and self._edge_override.l is None
        show = focus is not None and self.edge_mode != "none" and not hidden
        fan_set = E.fan(self._edge_values, self._edge_lims, *focus) if show else E.EdgeSet.empty()
        self._fan_set = fan_set
        self.fan_item.set_edges(fan_set, self.centers, self.start_x)
        self.topk_item.setOpacity(0.2 if show else 1.0)
        self._update_markers()

