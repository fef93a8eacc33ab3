"""The network in 3-D, as the lecture's slides show it (Harley's 3-D MLP): layers as planes of squares stacked in
depth. A thin view of the flat scene's SceneModel: geometry.py (numpy, no Qt) places and picks; view.py draws
with pyqtgraph's OpenGL items; camera.py turns it."""
