"""Distill: choose a story's evidence (brief, facts), word it (a Writer), verify it, and build
the Digest (assemble.Distiller). Import from the submodules: writers import the facts module,
and the assembler imports writers."""
