"""core.sizes.parse_sizes: the one parser of layer sizes (CLI --hidden, training panel, counting lab)."""

import pytest

from nnviz.core.sizes import parse_sizes


@pytest.mark.parametrize("text, sizes", [
    ("300,100", (300, 100)), ("300, 100", (300, 100)), (" 300 ; 100 ", (300, 100)), ("300 100", (300, 100)),
    ("784-300-100-10", (784, 300, 100, 10)), ("784 → 300 -> 10", (784, 300, 10)), ("2x4×2", (2, 4, 2)),
    ("784 – 10", (784, 10)), ("32", (32,)), ("300, 100,", (300, 100)), ("", ()), ("   ", ()),
])
def test_accepts_the_ways_people_write_sizes(text, sizes):
    assert parse_sizes(text) == sizes


@pytest.mark.parametrize("bad", ["300,abc", "300,,100", "-5", "300,-5", "0", "300 0", "1.5", "٣", ",", "3e2"])
def test_rejects_everything_else_with_one_message(bad):
    with pytest.raises(ValueError) as err:
        parse_sizes(bad)
    assert str(err.value) == (f"write layer sizes as whole numbers of at least 1, separated by commas, spaces or "
                              f"dashes (like 300, 100 or 784-300-100-10); got {bad.strip()!r}")


def test_bounds_on_count_and_size_say_so_in_the_same_message():
    assert parse_sizes("784-10", at_least=2) == (784, 10)
    with pytest.raises(ValueError, match="^write at least 2 layer sizes as whole numbers of at least 1"):
        parse_sizes("784", at_least=2)
    assert parse_sizes("4096", largest=4096) == (4096,)
    with pytest.raises(ValueError, match="from 1 to 4,096,.*got '5000'$"):
        parse_sizes("5000", largest=4096)
