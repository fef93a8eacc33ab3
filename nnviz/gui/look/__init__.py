"""How every view looks: the theme (dark or light, palette, line width; themes.py), the colour maps
(colormaps.py) and colour bars (colorbars.py) that say what each colour means, colour scales (scales.py)
and the plots' axes (axes.py). Every room may use it."""
