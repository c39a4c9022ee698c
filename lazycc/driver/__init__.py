"""Driver: classify the command line, then rewrite-path compile or exec clang untouched."""
