"""The lesson page: one self-contained HTML file that draws, predicts and backpropagates in any browser, offline.

    from nnviz.lesson import build_page, write_page
    write_page(net, card, "lesson.html", title="10-315, lecture 7", history=history, snapshots=8)

The page's code is plain JavaScript and CSS kept here as source files (assets/), inlined with the model's
weights, its card, a few dozen MNIST test digits and, if asked, snapshots of its training history. A
Content-Security-Policy lets only its own inline script and style run and forbids every request.
"""

from nnviz.lesson.page import LessonError, build_page, write_page

__all__ = ["LessonError", "build_page", "write_page"]
