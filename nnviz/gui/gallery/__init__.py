"""The gallery: every widget of nnviz on its own, with real content, and the README's screenshots.

    python -m nnviz.gui.gallery --list                 the entries, what each shows, the modules it covers
    python -m nnviz.gui.gallery NAME                   open one entry in a window
    python -m nnviz.gui.gallery NAME --shot out.png    render it offscreen to a PNG instead
    python -m nnviz.gui.gallery --all-shots docs/screenshots   regenerate the README's screenshots

Options: --size WxH (instead of the entry's size), --data DIR (MNIST folder; default: the app's finder,
$NNVIZ_DATA then the user cache). Entries live in the *_pages modules (registry.entry); the gallery
test renders each one offscreen.
"""
