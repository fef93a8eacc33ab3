"""Element-wise work in pieces, in one thread or two: the same pieces, the same results, bit for bit."""

import threading

import numpy as np
import pytest

from nnviz.core import optim, parallel


@pytest.fixture
def two_threads():
    before = parallel.threads()
    parallel.set_threads(2)
    yield
    parallel.set_threads(before)


def test_one_thread_calls_once_for_the_whole_array():
    assert parallel.threads() == 1  # the default (NNVIZ_THREADS unset)
    assert parallel.map_pieces(lambda s: (s.start, s.stop), 10 * parallel.PIECE) == [(0, 10 * parallel.PIECE)]


def test_pieces_cover_everything_once_in_an_even_number_of_near_equal_parts():
    for n in (1, 7, parallel.PIECE, 266610, 477010):
        ps = parallel.pieces(n)
        assert ps[0].start == 0 and ps[-1].stop == n
        assert all(a.stop == b.start for a, b in zip(ps, ps[1:]))
        sizes = [s.stop - s.start for s in ps]
        assert max(sizes) <= parallel.PIECE and max(sizes) - min(sizes) <= 1
        assert len(ps) % 2 == 0 or n == 1


def test_two_threads_really_share_the_work_and_return_results_in_order(two_threads):
    n = 4 * parallel.MIN_SPLIT
    seen = []
    out = parallel.map_pieces(lambda s: seen.append(threading.get_ident()) or s.start, n)
    assert out == [s.start for s in parallel.pieces(n)]
    assert len(set(seen)) == 2


def test_an_error_in_the_helper_reaches_the_caller(two_threads):
    last = parallel.pieces(parallel.MIN_SPLIT * 2)[-1]

    def fn(s):
        if s == last:
            raise ValueError("bad piece")
        return 0

    with pytest.raises(ValueError, match="bad piece"):
        parallel.map_pieces(fn, parallel.MIN_SPLIT * 2)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_optimiser_steps_are_bit_identical_with_one_thread_or_two(name):
    rng = np.random.default_rng(0)
    theta0 = rng.normal(size=300_001).astype(np.float32)
    grads = [rng.normal(size=theta0.size).astype(np.float32) for _ in range(3)]
    results, before_all = [], parallel.threads()
    for n in (1, 2):
        parallel.set_threads(n)
        try:
            theta, opt = theta0.copy(), optim.make(name, 0.01)
            for g in grads:
                before, out = theta.copy(), np.empty_like(theta)
                sum_sq = opt.step(theta, g, out=out)
                np.testing.assert_array_equal(theta, before)  # out= leaves the weights from before the step
                theta = out
            results.append((theta, sum_sq))
        finally:
            parallel.set_threads(before_all)
    np.testing.assert_array_equal(results[0][0], results[1][0])
    assert results[0][1] == pytest.approx(results[1][1], rel=1e-5)  # a sum: in one piece or in six
    assert results[0][1] == pytest.approx(float(np.dot(results[0][0].astype(np.float64), results[0][0])), rel=1e-5)


def test_bad_thread_count_is_refused():
    with pytest.raises(ValueError):
        parallel.set_threads(0)
