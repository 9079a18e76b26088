"""The engine: numba kernels (one module, for numba's cache), the training loop
over variants, and the optimizer races on 2-D surfaces.

Only this package imports numba. Rendering code reads the Recording it
produces and never imports from here.
"""
