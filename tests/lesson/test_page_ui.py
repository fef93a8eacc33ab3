"""The lesson page as students use it, in chromium: drawing, the walk, the update, layout from a phone to a
wide screen, keyboard, and what it must never do (a request, run the card's text as HTML) (issue 25)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.lesson.conftest import open_page

PENDIGITS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pendigits" / "strokes-train.json.gz"


def test_the_page_is_one_small_file_that_makes_no_request(lesson, lesson_file):
    page, requests, errors = lesson
    assert lesson_file.stat().st_size <= 5_000_000
    csp = page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content")
    assert "default-src 'none'" in csp and "connect-src" not in csp and "unsafe" not in csp
    page.click("#nextDigit")
    page.evaluate("nnvizLesson.goStep(0)")
    page.click("#walkNext")
    page.check("#palette")
    page.evaluate("fetch('https://example.com/x').catch(() => {})")  # the policy forbids it: never sent
    page.wait_for_timeout(200)
    assert requests == [lesson_file.as_uri()]
    assert [e for e in errors if "Content Security Policy" not in e] == []


def test_the_card_and_title_are_shown_as_text_never_as_html(lesson):
    page, _, _ = lesson
    assert "<script>window.pwned = 1</script><b>not bold</b>" in page.text_content("#cardLine")
    assert page.evaluate("window.pwned") is None and page.query_selector("#cardLine b") is None
    assert "<img src=x onerror=alert(1)>" in page.text_content("#title")
    assert page.query_selector("header img") is None
    assert "nnviz 0.1.0" in page.text_content("#about") and "mnist-784-300-100-10.npz" in page.text_content("#about")


def test_a_test_digit_is_predicted_and_its_walk_goes_forward_backward_and_updates(lesson):
    page, _, _ = lesson
    page.evaluate("nnvizLesson.showDigit(0); nnvizLesson.goStep(0)")  # the first bundled digit: a 7, read surely
    assert page.get_attribute("#prediction", "data-digit") == "7"
    state = page.evaluate("nnvizLesson.state()")
    assert state["target"] != 7 and state["why"].startswith("what if this were a")  # the runner-up: learning shows
    steps = page.evaluate("nnvizLesson.steps()")
    assert steps[0] == "forward: z₁ = W₁ x + b₁" and "backward: dJ/dz₃ = ŷ − y" in steps
    assert steps[-2] == "backward: dJ/db₁ = dJ/dz₁" and steps[-1].startswith("the update")
    for _ in range(len(steps) - 1):
        page.click("#walkNext")
    expect(page.locator("#walkPos")).to_have_text(f"step {len(steps)} of {len(steps)}")
    page.fill("#alpha", "0.5")
    page.click("#applyUpdate")
    expect(page.locator("#updateEffect")).to_contain_text("(it rises)")
    page.click("#undoUpdate")
    expect(page.locator("#updateEffect")).to_have_text("undone: the weights from before")


def test_aimed_at_what_it_is_sure_of_the_walk_says_the_gradients_are_rounding_noise(lesson):
    page, _, _ = lesson
    sure = page.evaluate("(() => { for (let k = 0; k < nnvizLesson.digitCount(); k++) { nnvizLesson.showDigit(k);"
                         "const p = nnvizLesson.probabilities(); if (1 - Math.max(...p) < 1e-7) return k; } })()")
    assert sure is not None, "no bundled digit the shipped model reads with ŷ = y to float precision"
    page.evaluate(f"nnvizLesson.showDigit({sure}); nnvizLesson.goStep(7)")  # dJ/dz₃ = ŷ − y
    label = page.get_attribute("#prediction", "data-digit")
    page.click(f"#targets button:nth-child({int(label) + 1})")  # aimed at what it reads
    expect(page.locator("#stepTitle")).to_have_text("backward: dJ/dz₃ = ŷ − y")
    expect(page.locator("#stepNumbers")).to_contain_text("ŷ ≈ y: the network is already sure of this target")


def test_keyboard_alone_walks_the_steps_and_chooses_a_target(lesson):
    page, _, _ = lesson
    page.evaluate("nnvizLesson.showDigit(1); nnvizLesson.goStep(0)")
    page.focus("#walkNext")
    page.keyboard.press("Enter")
    expect(page.locator("#walkPos")).to_contain_text("step 2 of")
    page.focus("#targets button:nth-child(4)")
    page.keyboard.press("Space")
    assert page.evaluate("nnvizLesson.state().target") == 3
    page.focus("#netPicture")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tooltip")).to_contain_text("hidden layer 1, neuron 1: z = Σ w·a + b")
    unlabelled = page.evaluate("Array.from(document.querySelectorAll('button, input, canvas')).filter((e) => "
                               "!(e.textContent.trim() || e.getAttribute('aria-label') || (e.id && "
                               "document.querySelector(`label[for=${e.id}]`)) || e.closest('label'))).map((e) => e.id)")
    assert unlabelled == []


@pytest.mark.parametrize("width,height", [(360, 640), (768, 1024), (1920, 1080)])
def test_no_sideways_scrolling_from_a_phone_to_a_wide_screen(browser, lesson_file, width, height):
    page, _, errors = open_page(browser, lesson_file, width, height)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        pad = page.locator("#drawPad").bounding_box()
        assert pad["width"] >= min(260, width - 60) and pad["x"] >= 0 and pad["x"] + pad["width"] <= width
        assert errors == []
    finally:
        page.close()


def _pen_digits(n_writers: int = 30):
    from nnviz.handwriting.pendigits import load_pendigits, place

    samples = load_pendigits(PENDIGITS)
    rng = np.random.default_rng(0)
    chosen = []
    for w in range(1, n_writers + 1):
        mine = [s for s in samples if s["writer"] == w]
        if mine:
            s = mine[int(rng.integers(len(mine)))]
            chosen.append((s["label"], [np.rint(a) for a in place(s["strokes"], 280, rng)]))
    return chosen


@pytest.mark.slow  # (about 40 s: a thousand real pointer moves)
def test_strokes_drawn_on_the_pad_are_read_as_well_as_on_the_desktop_canvas(lesson, shipped):
    """Real pen trajectories of the 30 pendigits writers, one digit each, replayed as pointer drags on the pad
    and drawn with the desktop canvas's ink (core's preprocessing, the same model)."""
    from PySide6.QtCore import QPointF

    from nnviz.core import preprocess
    from nnviz.handwriting.ink import InkPicture

    page, _, _ = lesson
    net, card = shipped
    page.evaluate("document.getElementById('drawPad').style.width = '280px'")  # one pad pixel a screen pixel
    box = page.locator("#drawPad").bounding_box()
    page_right = desktop_right = 0
    for label, strokes in _pen_digits():
        page.click("#clearPad")
        for stroke in strokes:
            page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
            page.mouse.down()
            for x, y in stroke[1:]:
                page.mouse.move(box["x"] + x, box["y"] + y)
            page.mouse.up()
        page_right += page.get_attribute("#prediction", "data-digit") == str(label)
        ink = InkPicture(280)
        for stroke in strokes:
            ink.begin_stroke(QPointF(*stroke[0]))
            for p in stroke[1:]:
                ink.extend_stroke(QPointF(*p))
            ink.end_stroke()
        x = preprocess.to_mnist(ink.pixels(), preprocess.wants_deskew(card))
        desktop_right += int(net.predict(x[None])[0]) == label
    assert page_right >= desktop_right >= 25, (page_right, desktop_right)


def test_the_history_slider_moves_the_network_and_the_prediction_through_training(browser, tmp_path, mnist):
    from nnviz.core.history import History, recording
    from nnviz.core.network import Architecture, Network
    from nnviz.core.training import Split, TrainConfig, train
    from nnviz.lesson import write_page

    data = Split(mnist.x_train[:3000], mnist.y_train[:3000], mnist.x_test[:100], mnist.y_test[:100])
    net, history = Network(Architecture((784, 32, 10)), seed=0), History(budget_mb=20)
    for _ in recording(history, net, train(net, data, TrainConfig(epochs=1, batch_size=50, lr=0.05,
                                                                    optimizer="sgd"))):
        pass
    path = tmp_path / "history.html"
    write_page(net, {}, path, history=history, snapshots=5, digits=(mnist.x_test, mnist.y_test))
    page, requests, errors = open_page(browser, path)
    try:
        slider = page.locator("#historySlider")
        assert slider.get_attribute("max") == "5"  # five snapshots, then the model itself
        expect(page.locator("#historyInfo")).to_have_text("the model as shipped (latest)")
        page.evaluate("nnvizLesson.showDigit(0)")
        trained = page.evaluate("nnvizLesson.probabilities()")
        slider.fill("0")  # before the first batch: the initial weights
        expect(page.locator("#historyInfo")).to_contain_text("after 0 batches (epoch 0)")
        untrained = page.evaluate("nnvizLesson.probabilities()")
        assert max(untrained) < max(trained) and trained.index(max(trained)) == 7
        assert requests == [path.as_uri()] and errors == []
    finally:
        page.close()
