"""One running reader: a second start hands its request over instead of opening a window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from reader.ui.single_instance import SingleInstance, server_name
from tests import PROJECT_ROOT

# A reader in another process: listens (or sends argv[2]) under the name argv[1].
CHILD = r"""
import os, signal, sys
from PySide6.QtCore import QCoreApplication
from reader.ui.single_instance import SingleInstance
app = QCoreApplication(sys.argv[:1])
instance = SingleInstance(sys.argv[1])
if sys.argv[2] == "--crash-while-listening":
    assert instance.listen()
    os.kill(os.getpid(), signal.SIGKILL)  # no clean-up: the socket stays behind
sys.exit(0 if instance.send(sys.argv[2]) else 3)
"""


def _child(name: str, arg: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, name, arg],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.fixture
def name(tmp_path: Path) -> str:
    return server_name(tmp_path / "data")  # unique per test: never a user's running reader


@pytest.fixture
def first(qapp, name: str) -> Iterator[SingleInstance]:
    instance = SingleInstance(name)
    yield instance
    instance.close()


def test_server_names_differ_per_data_folder_and_are_stable(tmp_path: Path) -> None:
    a, b = server_name(tmp_path / "a"), server_name(tmp_path / "b")
    assert a != b
    assert a == server_name(tmp_path / "x" / ".." / "a")
    assert "/" not in a and "\\" not in a


def test_nobody_listening_means_not_delivered(first: SingleInstance) -> None:
    assert not first.send("reader://nazi-soviet-alliance/pact")


def test_second_instance_in_this_process_hands_over_its_link(
    qtbot, first: SingleInstance, name: str
) -> None:
    assert first.listen()
    second = SingleInstance(name)
    assert not second.listen()  # the name is taken by a live reader
    with qtbot.waitSignal(first.request_received, timeout=5000) as got:
        assert second.send("reader://nazi-soviet-alliance/poland")
    assert got.args == ["reader://nazi-soviet-alliance/poland"]
    with qtbot.waitSignal(first.request_received, timeout=5000) as got:
        assert second.send("")  # started from the menu: just show the window
    assert got.args == [""]


def test_a_request_from_another_process_arrives(qtbot, first: SingleInstance, name: str) -> None:
    assert first.listen()
    path = "/home/someone/Notes on the pact.md"
    with qtbot.waitSignal(first.request_received, timeout=10000) as got:
        assert _child(name, path).returncode == 0
    assert got.args == [path]


def test_after_close_the_next_start_listens_itself(qtbot, first: SingleInstance, name: str) -> None:
    assert first.listen()
    first.close()
    second = SingleInstance(name)
    try:
        assert not second.send("reader://a/b")
        assert second.listen() and second.is_listening()
    finally:
        second.close()


def test_a_socket_left_by_a_crashed_reader_is_replaced(qtbot, first: SingleInstance) -> None:
    crashed = _child(first.name, "--crash-while-listening")
    assert crashed.returncode == -signal.SIGKILL
    leftover = Path(QDir.tempPath()) / first.name
    assert leftover.exists()  # the crashed reader's socket file
    assert not first.send("reader://a/b")  # nobody answers on it
    assert first.listen()
    with qtbot.waitSignal(first.request_received, timeout=10000) as got:
        assert _child(first.name, "reader://nazi-soviet-alliance/pact").returncode == 0
    assert got.args == ["reader://nazi-soviet-alliance/pact"]
