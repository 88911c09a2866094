"""The log: warnings on stderr, everything from INFO with tracebacks in a rotating file."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from reader import cli, log


@pytest.fixture(autouse=True)
def _fresh_log() -> Iterator[None]:
    log.unconfigure()
    yield
    log.unconfigure()


def ours() -> list[logging.Handler]:
    """The root logger's handlers that are not pytest's own."""
    return [h for h in logging.getLogger().handlers if type(h).__module__ != "_pytest.logging"]


def test_a_warning_reaches_stderr_and_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = log.configure(tmp_path / "logs", env={})
    assert file == tmp_path / "logs" / log.LOG_FILE
    logging.getLogger("reader.core.example").warning("the cache is damaged; rebuilding")
    logging.getLogger("reader.core.example").info("opened 3 essays")
    err = capsys.readouterr().err
    assert err == "reference-reader: warning: the cache is damaged; rebuilding\n"
    text = file.read_text(encoding="utf-8")
    assert "WARNING reader.core.example: the cache is damaged; rebuilding" in text
    assert "INFO reader.core.example: opened 3 essays" in text


def test_a_logged_exception_keeps_its_traceback_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = log.configure(tmp_path, env={})

    def fails() -> None:
        raise ValueError("bad index entry")

    try:
        fails()
    except ValueError:
        logging.getLogger("reader.ui.example").error("could not build the index", exc_info=True)
    text = file.read_text(encoding="utf-8")
    assert "ERROR reader.ui.example: could not build the index" in text
    assert "Traceback (most recent call last):" in text
    assert "in fails" in text and "ValueError: bad index entry" in text
    err = capsys.readouterr().err
    assert err == f"reference-reader: error: could not build the index (details in {file})\n"


def test_debug_only_with_reader_debug(tmp_path: Path) -> None:
    file = log.configure(tmp_path / "quiet", env={})
    logging.getLogger("reader.example").debug("first detail")
    logging.getLogger("reader.example").info("first fact")
    log.unconfigure()
    loud = log.configure(tmp_path / "loud", env={"READER_DEBUG": "1"})
    logging.getLogger("reader.example").debug("second detail")
    assert "first detail" not in file.read_text(encoding="utf-8")
    assert "first fact" in file.read_text(encoding="utf-8")
    assert "DEBUG reader.example: second detail" in loud.read_text(encoding="utf-8")


def test_configure_twice_installs_once_and_a_new_folder_moves_the_file(tmp_path: Path) -> None:
    before = len(ours())
    first = log.configure(tmp_path / "a", env={})
    log.configure(tmp_path / "a", env={})
    assert len(ours()) == before + 2
    logging.getLogger("reader.example").warning("once")
    assert first.read_text(encoding="utf-8").count("once") == 1

    second = log.configure(tmp_path / "b", env={})
    assert len(ours()) == before + 2
    logging.getLogger("reader.example").warning("moved")
    assert "moved" not in first.read_text(encoding="utf-8")
    assert "moved" in second.read_text(encoding="utf-8")


def test_the_file_rotates(tmp_path: Path) -> None:
    file = log.configure(tmp_path, env={})
    handler = next(h for h in ours() if isinstance(h, logging.handlers.RotatingFileHandler))
    handler.maxBytes = 2_000  # a small size instead of writing a megabyte
    for number in range(100):
        logging.getLogger("reader.example").info("line %d of a long session", number)
    assert file.stat().st_size <= 2_000
    assert (tmp_path / f"{log.LOG_FILE}.1").exists()
    assert not (tmp_path / f"{log.LOG_FILE}.{log.BACKUPS + 1}").exists()


def test_caplog_still_sees_records(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log.configure(tmp_path, env={})
    with caplog.at_level(logging.WARNING):
        logging.getLogger("reader.example").warning("seen by the test")
    assert [r.getMessage() for r in caplog.records] == ["seen by the test"]


def test_log_dir_follows_the_cache_folder(tmp_path: Path) -> None:
    assert log.log_dir(tmp_path / "c", env={}) == tmp_path / "c" / "log"
    assert log.log_dir(None, env={"READER_CACHE_DIR": str(tmp_path / "e")}) == (
        tmp_path / "e" / "log"
    )
    # the option wins over the variable, as for the cache itself
    assert log.log_dir(tmp_path / "c", env={"READER_CACHE_DIR": "x"}) == tmp_path / "c" / "log"
    assert log.log_dir(None, env={}) == Path(
        platformdirs.user_log_dir("reference-reader", "reference-reader")
    )


def test_an_unwritable_folder_leaves_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    log.configure(blocker / "log", env={})
    assert "cannot keep a log in" in capsys.readouterr().err
    logging.getLogger("reader.example").warning("still shown")
    assert capsys.readouterr().err == "reference-reader: warning: still shown\n"


def test_the_cli_logs_under_its_cache_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # READER_CACHE_DIR is tmp_path/cache for every test; --cache-dir wins over it
    assert cli.main(["sections", "--json"]) == 0
    logging.getLogger("reader.example").warning("from the environment's cache")
    assert "from the environment's cache" in (
        tmp_path / "cache" / "log" / log.LOG_FILE
    ).read_text(encoding="utf-8")
    other = tmp_path / "other-cache"
    assert cli.main(["sections", "--json", "--cache-dir", str(other)]) == 0
    logging.getLogger("reader.example").warning("from the option's cache")
    assert "from the option's cache" in (other / "log" / log.LOG_FILE).read_text(
        encoding="utf-8"
    )
    capsys.readouterr()


def test_a_deferred_file_gets_the_records_kept_until_it_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = log.configure(tmp_path / "later", env={}, defer_file=True)
    logging.getLogger("reader.app").info("window built")
    logging.getLogger("reader.app").warning("no position saved")
    assert capsys.readouterr().err == "reference-reader: warning: no position saved\n"
    assert not file.parent.exists()
    log.open_file()
    logging.getLogger("reader.app").info("panels built")
    text = file.read_text(encoding="utf-8")
    assert text.index("INFO reader.app: window built") < text.index(
        "WARNING reader.app: no position saved"
    ) < text.index("INFO reader.app: panels built")
    assert sum(isinstance(h, logging.FileHandler) for h in ours()) == 1
    log.open_file()  # a second call changes nothing
    assert sum(isinstance(h, logging.FileHandler) for h in ours()) == 1
