"""Guard against the PySide6 6.12.0 + pyqtgraph crash (STACK.md).

PySide6 6.12.0's QGraphicsWidget size setters drop one reference to None per call;
pyqtgraph's axes call them on every redraw, so the process dies within a few hundred chart
updates. This redraws a chart with changing axis widths and checks None keeps its references.
"""

from __future__ import annotations

import sys

import numpy as np
import pyqtgraph as pg


def test_redrawing_with_changing_axis_widths_keeps_references_to_none(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(640, 360)
    plot.show()
    curve = plot.plot(np.arange(10.0))
    before = sys.getrefcount(None)
    for step in range(300):
        scale = 10.0 ** (step % 7)  # tick labels from 1 to 1,000,000 wide: the axis resizes
        curve.setData(np.arange(10.0) * scale)
        plot.getPlotItem().getAxis("left").setWidth(None)
        plot.repaint()
    after = sys.getrefcount(None)
    # The faulty binding loses hundreds; ordinary churn moves the count by a few.
    assert after >= before - 50, f"None lost {before - after} references over 300 redraws"
