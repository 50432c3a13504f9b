"""The coding room: main window, text pane, highlighter, stripes, spans table, codebook panel, commands."""
