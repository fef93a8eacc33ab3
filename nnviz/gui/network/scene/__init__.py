"""Graphics pieces of the network scene: layout, neuron grids, edges, the all-edges renderer, overlays."""
