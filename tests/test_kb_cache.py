"""The remembered KB (kb/cache.py): a warm run decodes no TOML, yet never shows an old
value, and a broken or unwritable cache only costs the parse."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from kb import DATA_DIR, cache
from kb.loader import KBError, KnowledgeBase, load_dirs


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DIAGWIZARD_CACHE_DIR", str(folder))
    cache._store.cache_clear()
    yield folder
    cache._store.cache_clear()


def fresh_process_load(kb_dir: Path) -> KnowledgeBase:
    """Load as a new run would: the cache file is read again from disk."""
    cache._store.cache_clear()
    return load_dirs([kb_dir])


def as_bytes(kb: KnowledgeBase) -> bytes:
    return msgspec.json.encode([kb.entries, kb.references])


def no_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("TOML was parsed although the cache held the file")

    monkeypatch.setattr(msgspec.toml, "decode", refuse)


def test_a_warm_load_equals_a_parse_and_parses_nothing(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = fresh_process_load(DATA_DIR)
    assert (cache_dir / "kb.msgpack").is_file()
    no_toml(monkeypatch)
    remembered = fresh_process_load(DATA_DIR)
    assert as_bytes(remembered) == as_bytes(parsed)
    assert remembered.entries["faq05-wrong-pin"].path.endswith("faq05-wrong-pin.toml")


def test_an_entry_edited_in_place_is_read_anew(cache_dir: Path, tmp_path: Path) -> None:
    """Same size, same second: only the content tells, and the content is the key."""
    kb_dir = tmp_path / "kb"
    shutil.copytree(DATA_DIR, kb_dir)
    entry = kb_dir / "entries" / "faq05-wrong-pin.toml"
    assert fresh_process_load(kb_dir).entries["faq05-wrong-pin"].title.en.startswith("Wrong PIN")
    entry.write_text(entry.read_text().replace("Wrong PIN", "Wrong pin"))
    assert fresh_process_load(kb_dir).entries["faq05-wrong-pin"].title.en.startswith("Wrong pin")


def test_a_garbled_cache_is_parsed_past_and_replaced(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = as_bytes(fresh_process_load(DATA_DIR))
    for garbage in (b"\x00\xff not msgpack", msgspec.msgpack.encode({"k": 1})):
        (cache_dir / "kb.msgpack").write_bytes(garbage)
        assert as_bytes(fresh_process_load(DATA_DIR)) == expected
    no_toml(monkeypatch)  # the bad file was replaced by a good one
    assert as_bytes(fresh_process_load(DATA_DIR)) == expected


def test_a_cache_value_of_another_shape_is_only_a_miss(cache_dir: Path) -> None:
    expected = as_bytes(fresh_process_load(DATA_DIR))
    store = msgspec.msgpack.decode((cache_dir / "kb.msgpack").read_bytes())
    wrong = {key: msgspec.msgpack.encode({"id": 5}) for key in store}
    (cache_dir / "kb.msgpack").write_bytes(msgspec.msgpack.encode(wrong))
    assert as_bytes(fresh_process_load(DATA_DIR)) == expected


def test_an_unwritable_cache_folder_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-in-the-way"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DIAGWIZARD_CACHE_DIR", str(blocker / "cache"))
    cache._store.cache_clear()
    try:
        assert "faq05-wrong-pin" in fresh_process_load(DATA_DIR).entries
    finally:
        cache._store.cache_clear()


def test_a_broken_entry_fails_the_same_with_a_warm_cache(cache_dir: Path, tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(DATA_DIR, kb_dir)
    fresh_process_load(kb_dir)  # every file remembered
    entry = kb_dir / "entries" / "faq05-wrong-pin.toml"
    entry.write_text(entry.read_text().replace('kind = "faq"', 'kind = "faqs"'))
    with pytest.raises(KBError) as info:
        fresh_process_load(kb_dir)
    message = info.value.render("en")
    assert str(entry) in message and "kind" in message


def test_no_cache_folder_at_all_is_only_a_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no cache folder can be named (platformdirs fails: no usable home), the KB
    and the plugin list load as without a cache, and nothing reaches the user."""
    import platformdirs

    from diagwizard.engine import plugins

    def no_home(*args: object, **kwargs: object) -> str:
        raise RuntimeError("no home folder")

    monkeypatch.delenv("DIAGWIZARD_CACHE_DIR", raising=False)
    monkeypatch.setattr(platformdirs, "user_cache_dir", no_home)
    cache._store.cache_clear()
    plugins._for_key.cache_clear()
    try:
        assert "faq05-wrong-pin" in fresh_process_load(DATA_DIR).entries
        assert plugins.entry_points("diagwizard.checks") == []
    finally:
        cache._store.cache_clear()
        plugins._for_key.cache_clear()
