"""The command line: `annotator [--project P] COMMAND`. No Qt import unless the command is `gui`."""
