"""Allow `python -m annotator`, so tests and users need no entry-point script on PATH."""

from annotator.cli.main import main

raise SystemExit(main())
