"""Services: each public function is one user action and owns exactly one transaction.

They take an open `Project`, return plain records (never live ORM objects), and raise `UserError` for
anything the user can fix. The GUI's undo commands, the CLI and importers all call these.
"""
