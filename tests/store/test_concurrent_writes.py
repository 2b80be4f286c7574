"""Two processes writing one store: the same URL inserted by both, and batched transactions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event

from newsdistill.errors import DatabaseError
from newsdistill.store import Store
from tests.conftest import make_article


@pytest.fixture
def other(database: str) -> Iterator[Store]:
    """A second store on the same database: another worker's."""
    s = Store.open(database)
    yield s
    s.close()


def before_insert_into(store: Store, table: str, meanwhile: Callable[[], object]) -> None:
    """Run `meanwhile` once, right before `store` inserts into `table`: after its look for the
    URL found nothing, when another process's insert of the same URL is what a race gives."""
    done: list[bool] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not done and statement.startswith(f"INSERT INTO {table} "):
            done.append(True)
            meanwhile()

    event.listen(store.engine, "before_cursor_execute", hook)


def test_an_article_inserted_by_another_process_meanwhile_is_returned_as_known(
    store: Store, other: Store
) -> None:
    article = make_article("The harbour reopened on Monday after repairs.", url="https://a.test/1")
    theirs: list[int | None] = []
    before_insert_into(store, "articles", lambda: theirs.append(other.add_article(article)[0].id))
    stored, new = store.add_article(article.model_copy(update={"title": "Mine"}))
    assert not new
    assert stored.id == theirs[0] and stored.title == article.title
    assert len(other.get_articles([stored.id or 0])) == 1


def test_a_feed_added_by_another_process_meanwhile_is_returned_as_known(
    store: Store, other: Store
) -> None:
    before_insert_into(store, "feeds", lambda: other.add_feed("https://a.test/feed.xml", "Theirs"))
    feed, new = store.add_feed("https://a.test/feed.xml", "Mine", topic="ports")
    assert not new
    assert (feed.title, feed.topic) == ("Theirs", "ports")  # the known feed, given the topic
    assert [(f.title, f.topic) for f in other.list_feeds()] == [("Theirs", "ports")]


def test_a_transaction_stores_all_its_writes_or_none(store: Store) -> None:
    first = make_article("The ferry resumed service at dawn.", url="https://a.test/1")
    second = make_article("The bridge closed for inspection.", url="https://a.test/2")
    with pytest.raises(DatabaseError), store.transaction():
        store.add_article(first)
        assert store.known_urls([first.url]) == {first.url}  # seen inside the transaction
        store.add_article(second.model_copy(update={"feed_id": 999}))  # no such feed
    assert store.known_urls([first.url, second.url]) == set()
    with store.transaction():
        store.add_article(first)
        store.add_article(second)
    assert store.known_urls([first.url, second.url]) == {first.url, second.url}
