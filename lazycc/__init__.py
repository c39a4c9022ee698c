"""lazycc: a drop-in C compiler driver that lazifies call arguments, never unproven."""

__version__ = "0.1.0"
