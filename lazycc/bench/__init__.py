"""lazycc-bench: build and time llvm-test-suite (or our mini-suite) and real projects under clang
and each lazycc configuration, and report correctness first, then the paper's tables and figures.

Modules: `cli` (argument parsing), `configs` (which configurations exist, compiler wrappers),
`suite` (llvm-test-suite runner), `projects` (Debian source packages), `results` (loading an output
directory), `stats` (pure statistics), `tables`, `figures`, `report`.
"""
