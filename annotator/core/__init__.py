"""Pure modules (no Qt, no database): documents, codebooks, spans, agreement, exchange formats."""
