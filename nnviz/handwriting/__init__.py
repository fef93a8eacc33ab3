"""Handwriting from outside the app's canvas, and the canvas's own ink.

    ink.InkPicture            strokes drawn as the Draw panel draws them (QPainter on a QImage; no widget)
    images.read_image         a digit picture file (PNG, JPEG, SVG, ...) as pixels, bounded in time and memory
    image_folders.load_image_folder   a folder tree <label>/<picture> (My digits, `nnviz train --extra`)
    pendigits                 real pen trajectories of 30 writers, replayed through the ink

It uses Qt's painting and image classes but no widget, and never imports the GUI or the command line
(pyproject.toml's import contracts): the GUI's Draw panel and the `nnviz` commands both build on it.
"""
