"""The migrations build exactly the schema the code declares, and can be rolled back."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from kvorum.store import db, migrate
from kvorum.store.tables import metadata


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_server_default": False})
        return list(compare_metadata(context, metadata))


def test_migrations_match_the_declared_tables(database_url: str) -> None:
    engine = db.create(database_url)
    try:
        assert migrate.current(engine) == migrate.head()
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_migrations_roll_back_and_forward(database_url: str) -> None:
    engine = db.create(database_url)
    try:
        config = migrate._config(engine.url.render_as_string(hide_password=False))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0004")
        assert migrate.current(engine) == "0004"
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        assert _differences(engine) == []
    finally:
        engine.dispose()
