"""Small widgets and layouts every room may use: a label without a frame (flat_label.py) and a layout
that wraps its rows (flow_layout.py)."""
