"""Shared test set-up: figures are drawn off-screen (Agg), and the plotting tests use the book's style."""

import multirat  # noqa: F401  (first: torch then runs the pinned CPU kernels, see multirat.TORCH_CPU_CAPABILITY)
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest


@pytest.fixture
def book_style():
    """The book's figure style (``multirat.plotting.use_style``) for one test; every figure closed after it."""
    from multirat.plotting import use_style

    use_style()
    yield
    plt.close("all")
