"""The project store: SQLModel tables, the engine, migrations and the services that own transactions."""
