"""The agreement room: Tools > Agreement, the supervisor's view of inter-coder agreement."""
