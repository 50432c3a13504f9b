"""Qt front end: the coding workspace (main window, document view, codebook tree, spans table, undo)."""
