"""The exchange room: File > Export / Import from / Merge project, in the window."""
