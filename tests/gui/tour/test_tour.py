"""The lecture tour (issue 13): step files, the walk in presenter mode, the polls, resume, palette."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from nnviz.gui import MainWindow
from nnviz.gui.look import colormaps, themes
from nnviz.gui.tour import actions
from nnviz.gui.tour.panel import TourPanel
from nnviz.gui.tour.script import TourError, load_steps, parse_step
from nnviz.gui.tour.stage import ANSWERS

CHECKED = ("tab", "lab", "inspector_tab", "inspector_step")  # what view_name reports
LECTURE_ORDER = ("single_neuron", "params", "traffic", "chain", "playground", "drawDock", "dJ/dz₃")


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.views.presenter.leave()
    win.close()


def test_every_step_file_parses_with_known_actions_in_the_lectures_order():
    steps = load_steps()
    assert len(steps) >= 8
    for step in steps:
        assert set(step.actions) <= set(actions.ACTIONS) | set(actions.OFFERS), step.name
        if step.poll:
            assert step.poll.answer in ANSWERS, step.name
    text = " ".join(repr(s.actions) for s in steps)
    positions = [text.index(key) for key in LECTURE_ORDER]
    assert positions == sorted(positions), "the steps follow the lecture: neuron ... backward pass"


@pytest.mark.parametrize("source, message", [
    ("title = 'x'\n+++\nbody", "starts with"),
    ("+++\ntitle = 'x'\nbody", "not closed"),
    ("+++\ntitle = \n+++\n", "not valid TOML"),
    ("+++\nlab = 'traffic'\n+++\n", "needs a title"),
    ("+++\ntitle = 'x'\n[poll]\nquestion = 'q'\nanswer = 'a'\noptions = ['one']\n+++\n", "two options"),
])
def test_a_broken_step_file_is_refused_naming_the_file(source, message):
    with pytest.raises(TourError, match=f"bad-step: .*{message}"):
        parse_step("bad-step", source)


def test_walking_the_whole_tour_with_pagedown_in_presenter_mode_sets_up_each_view(qtbot, window):
    win = window
    win.start_tour()
    tour = win.findChild(QWidget, "lectureTour")
    assert tour is not None and tour.property("stepCount") == len(tour.steps)
    tour.go(0)
    win.toggle_presenter()
    assert win.views.presenter.active and not win.menuBar().isVisible()
    for i, step in enumerate(tour.steps):
        assert tour.property("stepIndex") == i
        assert tour.property("stepTitle") == step.title
        assert tour.last_error is None, tour.last_error
        shown = win.views.stage.on_screen()
        lab = step.actions.get("lab")
        expected = {"tab": "Labs" if lab else step.actions.get("tab"), "lab": lab,
                    "inspector_tab": step.actions.get("inspector_tab"),
                    "inspector_step": step.actions.get("inspector_step")}
        for key in CHECKED:
            if expected[key] is not None:
                assert shown.get(key) == expected[key], (step.name, key, shown)
        if "dock" in step.actions:
            assert win.docks[step.actions["dock"]].isVisible(), step.name
        if "highlight" in step.actions:
            frame = tour.highlight
            assert frame.target is not None and frame.target.objectName() == step.actions["highlight"]
        if i < len(tour.steps) - 1:
            with qtbot.waitSignal(tour.stepChanged, timeout=5000):
                qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_PageDown)
    qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_PageUp)
    assert tour.property("stepIndex") == len(tour.steps) - 2
    qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_Escape)
    assert not win.views.presenter.active and win.menuBar().isVisible()


def test_the_vanishing_gradients_step_trains_the_g_preset_beside_the_tour_and_closes_it_after(
        qtbot, window):
    win = window
    win.start_tour()
    tour = win.views.tour
    k = next(i for i, s in enumerate(tour.steps) if s.actions.get("compare") == "g")
    tour.go(k)
    compare = win.compare_window
    assert compare is not None and compare.isVisible() and compare.running
    assert compare.tabs.currentWidget() is compare.gradients
    assert [s.name for s in compare.setup.specs()] == ["g = sigmoid", "g = ReLU", "g = tanh"]
    panel = win.docks["tourDock"]
    beside = QRect(panel.mapToGlobal(QPoint(0, 0)), panel.size())
    assert not compare.geometry().intersects(beside) and compare.geometry().left() == beside.right() + 1
    # (whole on a 1366x768 and a 1920x1080 screen: tests/gui/tour/tour_walk.py; this offscreen one is 800x800)
    with qtbot.waitSignal(compare.comparisonEnded, timeout=60_000) as ended:
        pass
    assert ended.args[0].final.reason == "completed"
    assert "g = sigmoid" in compare.gradients.line.text()
    tour.go(k - 1)
    assert not compare.isVisible()
    qtbot.waitUntil(lambda: not compare.running, timeout=10_000)  # (its thread ends after the last record)


EXPECTED = {"03-poll-logistic-mnist": 7850, "08-poll-total": 266_610, "17-poll-output-neuron": 101,
            "18-poll-hidden-neuron": 785,
            "10-poll-gradient-descent": frozenset({"w₁,₁", "b₁,₁"}),
            "14-playground": "weight", "15-poll-squares": "activation"}


def test_each_poll_is_judged_right_and_wrong_with_the_number_computed_on_screen(qtbot, window):
    tour = window.views.tour
    polled = [i for i, s in enumerate(tour.steps) if s.poll is not None]
    assert {tour.steps[i].name for i in polled} >= set(EXPECTED)
    for i in polled:
        tour.go(i)
        poll = tour.findChild(QWidget, "lecturePoll")
        assert poll is not None and poll.poll is tour.steps[i].poll
        assert poll.property("answered") is False
        values = [actions.option_value(o) for o in poll.poll.options]
        right = [k for k, o in enumerate(poll.poll.options)
                 if actions.is_right(o, window.views.stage.answer(poll.poll.answer))]
        assert len(right) == 1, (tour.steps[i].name, values)
        wrong = next(k for k in range(len(values)) if k != right[0])
        qtbot.mouseClick(poll.findChild(QPushButton, f"pollOption{wrong}"), Qt.MouseButton.LeftButton)
        assert poll.property("answered") is True and poll.property("answeredCorrectly") is False
        assert "Not quite" in poll.verdict.text()
        qtbot.mouseClick(poll.findChild(QPushButton, f"pollOption{right[0]}"), Qt.MouseButton.LeftButton)
        assert poll.property("answeredCorrectly") is True and "Right!" in poll.verdict.text()
        name = tour.steps[i].name
        if name in EXPECTED:
            assert poll.right_value == EXPECTED[name]
            if isinstance(EXPECTED[name], int):
                assert f"{EXPECTED[name]:,}" in poll.verdict.text()


def test_a_poll_counts_the_network_actually_shown(qtbot, window):
    """Change what is on screen and the answer changes with it: it is counted, not typed in."""
    tour = window.views.tour
    i = next(k for k, s in enumerate(tour.steps) if s.name == "03-poll-logistic-mnist")
    tour.go(i)
    window.views.stage.labs().counter.set_architecture("784-20")
    assert window.views.stage.answer("param_counter_total") == 784 * 20 + 20


def test_the_tour_resumes_where_the_user_left_off(qtbot, window):
    window.views.tour.go(5)
    again = TourPanel(window.views.stage)
    again.resume()
    assert again.property("stepIndex") == 5
    again.highlight.deleteLater()


def test_the_tour_is_offered_at_first_launch_and_opens_from_help(qtbot, window):
    offer = window.findChild(QPushButton, "tourOffer")
    assert offer is not None and offer.isVisible()
    window.findChild(type(window.menu.presenter), "tourAction").trigger()
    assert window.docks["tourDock"].isVisible() and not offer.isVisible()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.findChild(QPushButton, "tourOffer") is None


def test_presenter_mode_enlarges_the_step_text_and_the_view_and_hides_chrome_then_restores_them(qtbot, window):
    """The step text had stayed at its size (the theme's style sheet kept the docks' fonts)."""
    tour = window.views.tour
    tour.go(0)
    size = QApplication.font().pointSizeF()
    text, heading, legend = tour.text.font().pointSizeF(), tour.heading.font().pointSizeF(), \
        window.views.network.legend_row.text_scale
    window.toggle_presenter()
    assert tour.text.font().pointSizeF() >= 1.5 * text - 0.01
    assert tour.heading.font().pointSizeF() >= 1.5 * heading - 0.01
    assert window.tabs.currentWidget().font().pointSizeF() >= 1.5 * size - 0.01  # the view's labels
    assert window.views.network.legend_row.text_scale == 1.5 * legend  # the scene's colour bars and legend
    assert themes.current().line_scale == 2.0  # thicker lines on the projector
    assert not window.statusBar().isVisible() and not window.tabs.tabBar().isVisible()
    assert window.docks["tourDock"].isVisible()
    window.toggle_presenter()
    assert tour.text.font().pointSizeF() == pytest.approx(text) and tour.heading.font().pointSizeF() == heading
    assert QApplication.font().pointSizeF() == pytest.approx(size) and themes.current().line_scale == 1.0
    assert window.views.network.legend_row.text_scale == legend
    assert window.statusBar().isVisible() and window.tabs.tabBar().isVisible()


def test_esc_after_walking_the_tour_brings_back_the_panels_and_fonts_from_before(qtbot, window):
    """Esc after steps 1 to 18 left Draw and Training hidden (and the poll fonts large) until Reset layout."""
    opened = lambda: {name for name, dock in window.docks.items() if dock.toggleViewAction().isChecked()}
    before = opened()
    assert {"drawDock", "trainDock"} <= before
    window.start_tour()
    window.toggle_presenter()
    for i in range(18):
        window.views.tour.go(i)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Escape)
    assert not window.views.presenter.active and window.tabs.tabText(window.tabs.currentIndex()) == "Network"
    assert opened() == before | {"tourDock"}
    poll = window.views.tour.poll
    assert poll is None or poll.font().pointSizeF() == pytest.approx(QApplication.font().pointSizeF())


def test_space_plays_the_scalar_chain_and_says_so_where_nothing_plays(qtbot, window):
    tour = window.views.tour
    chain_step = next(k for k, s in enumerate(tour.steps) if s.actions.get("inspector_tab") == "chain")
    still = next(k for k, s in enumerate(tour.steps) if s.actions.get("lab") == "params")
    window.toggle_presenter()
    tour.go(chain_step)
    chain = window.findChild(QWidget, "scalarChain")
    assert not chain.controls.playing
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Space)
    assert chain.controls.playing and tour.property("stepIndex") == chain_step
    assert "scalar chain plays" in tour.note.text()
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Space)
    assert not chain.controls.playing
    tour.go(still)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Space)
    assert tour.property("stepIndex") == still and "Nothing plays" in tour.note.text()


def test_space_in_presenter_mode_plays_and_pauses_the_inspector_walk(qtbot, window):
    tour = window.views.tour
    i = next(k for k, s in enumerate(tour.steps) if s.actions.get("inspector_step") == "dJ/dz₃")
    tour.go(i)
    window.toggle_presenter()
    inspector = window.views.inspector
    assert not inspector.controls.playing
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Space)
    assert inspector.controls.playing and tour.property("stepIndex") == i
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Space)
    assert not inspector.controls.playing


def test_colour_blind_palette_is_a_new_frozen_theme_that_views_are_told_of_and_back(qtbot):
    told = []

    def note(theme):
        told.append(theme)

    themes.changes().changed.connect(note)
    before = themes.current()
    values = np.array([0.0, 0.5, 1.0])
    colours = colormaps.lookup(before.activation_cmap, values, 0.0, 1.0).copy()
    try:
        themes.update(palette="colour-blind safe")
        after = themes.current()
        assert after is not before and after.palette == "colour-blind safe" and before.palette == "standard"
        assert not np.array_equal(colours, colormaps.lookup(after.activation_cmap, values, 0.0, 1.0))
        assert after.in_palette(before.diverging_cmap) is after.diverging_cmap  # a bar of the old map follows
        with pytest.raises(FrozenInstanceError):
            after.palette = "standard"
    finally:
        themes.update(palette="standard")
    assert told == [after, themes.current()] and themes.current() == before
    assert np.array_equal(colours, colormaps.lookup(themes.current().activation_cmap, values, 0, 1))
    with pytest.raises(ValueError, match="unknown palette"):
        themes.update(palette="rainbow")
    themes.changes().changed.disconnect(note)


def test_the_highlight_forgets_a_framed_control_that_is_deleted(qtbot):
    """The monkey test found it: a framed label deleted while the tour was open, then the tour panel hid
    (Highlight.frame(None)) and touched the dead label: RuntimeError in hideEvent."""
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
    from shiboken6 import delete

    from nnviz.gui.tour.highlight import Highlight

    window = QWidget()
    qtbot.addWidget(window)
    label = QLabel("target", window)
    QVBoxLayout(window).addWidget(label)
    highlight = Highlight(window)
    window.show()
    qtbot.waitExposed(window)
    highlight.frame(label)
    assert highlight.isVisible() and highlight.target is label
    delete(label)
    assert highlight.target is None and not highlight.isVisible()
    highlight.frame(None)  # no error
    highlight.frame(window)  # and it still frames what it is given
    assert highlight.target is window


def test_polls_cover_their_answer_until_answered_and_start_unanswered_when_revisited(qtbot, window):
    """Step 3 framed "Total: 7,850" beside its question, step 8 "Total: 266,610", 14 and 15 the legend that
    names the answer, and the counter's quiz box kept an earlier wrong answer."""
    from nnviz.gui.tour.highlight import Highlight

    tour = window.views.tour
    window.start_tour()
    polls = [k for k, s in enumerate(tour.steps) if s.poll is not None and "highlight" in s.actions]
    assert len(polls) >= 4
    counter = window.findChild(QWidget, "paramCounter")
    for i in polls:
        tour.go(i)
        qtbot.waitUntil(lambda: all(c.isVisible() for c in tour.covers), timeout=3000)
        covered = {c.target.objectName() for c in tour.covers if c.isVisible()}
        assert tour.steps[i].actions["highlight"] in covered and set(tour.steps[i].poll.covers) <= covered
        for cover in tour.covers:  # opaque and on top of what it hides
            assert isinstance(cover, Highlight) and cover.covering and cover.geometry().contains(
                cover.target.mapTo(window, cover.target.rect().center()))
        tour.poll.answer_with(0)
        assert not [c for c in tour.covers if c.isVisible()]  # revealed, with the count on the live view
    if counter is not None:
        counter.guess.setText("100")
        counter.check()
        assert "Not quite" in counter.answer.text()
    tour.go(polls[0])
    assert not tour.poll.property("answered") and tour.covers
    if counter is not None and tour.steps[polls[0]].actions.get("lab") == "params":
        assert counter.guess.text() == "" and counter.answer.text() == ""


def test_a_poll_on_a_view_the_student_broke_says_so_instead_of_failing(qtbot, window):
    """The monkey: a word typed into the parameter counter's box, then a poll answered: TypeError."""
    tour = window.views.tour
    step = next(k for k, s in enumerate(tour.steps) if s.poll is not None and s.actions.get("lab") == "params")
    window.start_tour()
    tour.go(step)
    window.findChild(QWidget, "paramCounter").entry.setText("seven")
    assert tour.poll.answer_with(0) is False
    assert "Cannot count it" in tour.poll.verdict.text() and not tour.poll.property("answered")
    assert tour.covers  # the answer stays covered


def test_the_window_is_a_whole_stage_and_the_tour_reaches_the_app_only_through_it():
    """The tour's typed interface (tour/stage.py) is implemented in full by the window's stage, and no tour
    module imports the app or another room (pyproject.toml's contracts check the imports)."""
    import inspect

    from nnviz.gui.app.stage import WindowStage
    from nnviz.gui.tour import stage

    wanted = {name for name, _ in inspect.getmembers(stage.Stage) if not name.startswith("_")}
    assert wanted and wanted <= set(dir(WindowStage))
    for name in wanted - {"window"}:
        assert list(inspect.signature(getattr(stage.Stage, name)).parameters) == \
            list(inspect.signature(getattr(WindowStage, name)).parameters), name


def test_the_colour_polls_and_the_digit_network_step_offer_the_3d_view(qtbot, window):
    win = window
    win.start_tour()
    tour = win.views.tour
    offering = [s.name for s in tour.steps if s.actions.get("offer_3d")]
    assert offering == ["14-playground", "15-poll-squares", "16-digit-network"]
    tour.go([s.name for s in tour.steps].index("15-poll-squares"))
    assert tour.offer_3d.isVisible()
    qtbot.mouseClick(tour.offer_3d, Qt.MouseButton.LeftButton)
    assert win.tabs.tabText(win.tabs.currentIndex()) == "Network" and win.views.network.showing_3d()
    tour.go(0)
    assert not tour.offer_3d.isVisible()
    win.views.network.set_3d(False)
