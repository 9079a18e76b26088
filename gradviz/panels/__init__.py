"""Axes-level drawing helpers, one module per visual idea.

Each ``draw_<name>(ax, rec, ...)`` draws one thing on one Axes from a
Recording; it never creates a figure, never saves and never touches pyplot.
:mod:`gradviz.figures` and :mod:`gradviz.animations` compose them.

* :mod:`.recording`  reading a Recording: variants, layers, records, status masks
* :mod:`.result`     :class:`~.result.Drawn`, what every draw function returns
* :mod:`.axes`       ticks, limits, epoch axis, colour maps
* :mod:`.markers`    NaN/Inf, zeros and not-run marks (written once), legend keys
* :mod:`.series`     lines over steps: any series, per-layer series, learning rate
* :mod:`.layers`     a quantity against layer index (gradient norms)
* :mod:`.clipping`   gradient norm before and after clipping
* :mod:`.curves`     loss and accuracy curves with their events
* :mod:`.percentiles` percentile bands of one layer
* :mod:`.histograms` per-layer density curves
* :mod:`.heatmap`    layer x step heat maps
* :mod:`.boundary`   decision boundaries on the input plane
* :mod:`.surface`    loss surfaces and optimizer paths

Conventions shared with the simulator (design.md section 4): arrays are
indexed ``[variant, record, layer]``; layers ``0..depth-1`` are hidden and
``depth`` is the output layer; records after a variant's ``stop_step`` are NaN
(not run). A NaN *inside* the run counts as non-finite only from the
variant's ``first_nonfinite_step`` on; other NaNs inside the run (the final
record's ``update_ratio``, saturation of the output layer) are "not defined"
and left blank. Inf always counts as non-finite.
"""
