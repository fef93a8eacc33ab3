"""Read the tour's steps: one Markdown file per step in `lecture/`, each with a TOML header.

    +++
    title = "One neuron, three models"
    tab = "Labs"                       # what the step opens: see actions.ACTIONS for every key
    lab = "single_neuron"
    highlight = "neuronG"              # objectName of the control to draw a frame around

    [poll]                             # optional: a predict-then-reveal question
    question = "How many parameters ...?"
    answer = "param_counter_total"     # a named computation on the live views (stage.ANSWERS)
    options = ["784", "7,840", "7,850", "7,860"]
    why = "Each of the 10 outputs has 784 weights and one bias."
    covers = ["paramTable"]            # optional: more widgets that show the answer (the highlight is one)
    +++
    The step's text, in Markdown, in the lecture's words and notation.

Files are read in name order (01-..., 02-...). No Qt here: the panel and the actions do the showing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources

FENCE = "+++"


class TourError(ValueError):
    """A step file cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Poll:
    question: str
    answer: str  # the name of a computation in stage.ANSWERS
    options: tuple[str, ...]
    why: str = ""
    covers: tuple[str, ...] = ()  # widgets (objectNames) that show the answer: covered until it is given


@dataclass(frozen=True)
class Step:
    name: str  # the file's stem, e.g. "01-single-neuron"
    title: str
    text: str  # Markdown
    actions: dict = field(default_factory=dict)  # every header key but title and poll
    poll: Poll | None = None


def parse_step(name: str, source: str) -> Step:
    """One step from a file's text. Raises TourError naming the file."""
    head, sep, body = _split(name, source)
    try:
        header = tomllib.loads(head)
    except tomllib.TOMLDecodeError as exc:
        raise TourError(f"{name}: the header is not valid TOML ({exc})") from None
    title = header.pop("title", None)
    if not isinstance(title, str) or not title.strip():
        raise TourError(f"{name}: the header needs a title")
    poll = header.pop("poll", None)
    return Step(name, title.strip(), body.strip(), header, _poll(name, poll) if poll is not None else None)


def _split(name: str, source: str) -> tuple[str, str, str]:
    lines = source.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise TourError(f"{name}: a step starts with a '{FENCE}' line, then its TOML header")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise TourError(f"{name}: the header is not closed by a second '{FENCE}' line") from None
    return "\n".join(lines[1:end]), FENCE, "\n".join(lines[end + 1:])


def _poll(name: str, raw) -> Poll:
    if not isinstance(raw, dict):
        raise TourError(f"{name}: [poll] must be a table")
    question, answer, options = raw.get("question"), raw.get("answer"), raw.get("options")
    if not isinstance(question, str) or not isinstance(answer, str):
        raise TourError(f"{name}: a poll needs a question and the name of its answer")
    if not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, str) for o in options):
        raise TourError(f"{name}: a poll needs at least two options (strings)")
    covers = raw.get("covers", [])
    if not isinstance(covers, list) or not all(isinstance(c, str) for c in covers):
        raise TourError(f"{name}: a poll's covers must be a list of widget names")
    return Poll(question, answer, tuple(options), str(raw.get("why", "")), tuple(covers))


def load_steps(package: str = "nnviz.gui.tour.lecture") -> list[Step]:
    """Every step file (*.md) of the package folder, in name order."""
    folder = resources.files(package)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".md") and not f.name.startswith("README")),
                   key=lambda f: f.name)
    return [parse_step(f.name.removesuffix(".md"), f.read_text(encoding="utf-8")) for f in files]
