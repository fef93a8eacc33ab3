"""The 3-D view's geometry (no Qt): the planes' grids, the squares, and picking through a camera matrix."""

import numpy as np

from nnviz.gui.network.view3d import geometry as G


def test_the_lecture_s_network_is_laid_out_as_its_slides_show_it():
    planes = G.planes((784, 300, 100, 10))
    assert [(p.cols, p.rows) for p in planes] == [(28, 28), (15, 20), (10, 10), (10, 1)]
    xs = [p.x for p in planes]
    assert xs == sorted(xs) and np.allclose(np.diff(xs), G.GAP)  # stacked in depth, evenly
    for p in planes:
        assert np.allclose(p.centres[:, 0], p.x) and abs(p.centres[:, 1:].mean()) < 1e-4  # centred on the axis
    first = planes[0].centres
    assert first[0, 2] > first[-1, 2] and first[0, 1] > first[27, 1]  # row 0 on top, column 0 on the left


def test_any_size_gets_a_grid_that_holds_it():
    for n in (1, 2, 7, 97, 1000, 2000):
        cols, rows = G.grid(n)
        assert cols * rows >= n and max(cols, rows) <= 2 * min(cols, rows) + 1


def test_each_neuron_is_a_square_of_two_triangles_around_its_centre():
    plane = G.planes((784, 16, 10))[1]
    vertices, faces = G.squares(plane)
    assert vertices.shape == (4 * 16, 3) and faces.shape == (2 * 16, 3) and faces.max() == 4 * 16 - 1
    np.testing.assert_allclose(vertices.reshape(16, 4, 3).mean(1), plane.centres, atol=1e-6)


def test_picking_finds_the_front_most_square_under_the_point():
    planes = G.planes((16, 9, 4))
    # an orthographic camera looking along +x: screen x = -y (column 0 on the left), screen y = -z
    mvp = np.array([[0, -0.05, 0, 0], [0, 0, 0.05, 0], [0.001, 0, 0, 0], [0, 0, 0, 1]], float)
    for plane in planes:
        for i in range(plane.n):
            xy, _ = G.project(plane.centres[i:i + 1], mvp, 400, 400)
            hit = G.pick(planes, mvp, 400, 400, *xy[0])
            assert hit is not None and planes[hit[0]].n and np.allclose(
                G.project(planes[hit[0]].centres[hit[1]:hit[1] + 1], mvp, 400, 400)[0], xy, atol=1.0)
    assert G.pick(planes, mvp, 400, 400, 1, 1) is None  # a corner of the screen: nothing there
