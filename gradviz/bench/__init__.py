"""``python -m gradviz.bench``: how fast a training step is, as ratios
measured in one run (issue 9 §1).

Modules: ``workload`` (one gradviz network and its timed steps),
``reference`` (the same step and statistics in plain NumPy, which also
cross-checks gradviz's numbers), ``procs`` (cold compile, warm start, peak
RSS and the optional PyTorch comparison, each in its own subprocess),
``report`` (medians, log-log slopes, the Markdown table and the README's
Performance section) and ``__main__`` (the command line).

Timings on a shared machine are noisy: every comparison is a ratio of two
timings taken in the same process, interleaved round by round, and the
reported value is the median over rounds.
"""
