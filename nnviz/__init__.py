"""nnviz: watch, poke and take apart a neural network."""

__version__ = "0.1.0"
