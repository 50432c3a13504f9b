"""Pieces every room uses: background jobs, dialogs, the offset/Qt-position crossing."""
