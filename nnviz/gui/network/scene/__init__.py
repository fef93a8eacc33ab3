"""The network scene's parts. Plain data, no Qt: model.py (SceneModel: options, hover/selection/focus, the
inspector's override, what is drawn), pictures.py, edge_sets.py, limits.py, layout.py, describe.py,
inspector_api.py. Qt: items.py (the items, following the model), neurons, edges, edge_image, all_edges,
overlay, legend, controls, export."""
