"""One reader window per user and data folder.

A second start hands its request (a reader:// link, a file, or nothing: just
show the window) to the running reader through a local socket and exits; the
running reader raises its window and goes there. The server's name is derived
from the user and the data folder, so readers on separate data folders (and
every test, each with its own tmp folder) never talk to each other. A socket
left by a reader that crashed is noticed (nobody answers on it) and replaced.

The running reader listens with Qt's ``QLocalServer``. Asking whether one runs
is done before the window is built: on POSIX systems, where Qt's local socket is
a Unix domain socket in Qt's temporary folder, with Python's own ``socket``, so
that QtNetwork is loaded only after the first paint (it takes about 10 ms and
3-4 MB); elsewhere (Windows' named pipes) with ``QLocalSocket``.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import socket as sockets
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QObject, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

#: A request is one line of UTF-8; anything longer is not ours.
MAX_REQUEST = 64 * 1024
CONNECT_TIMEOUT_MS = 1000


def server_name(data_dir: Path) -> str:
    """The socket name for the reader using ``data_dir``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (some containers)
        user = ""
    digest = hashlib.sha256(f"{user}\0{data_dir.expanduser().resolve()}".encode()).hexdigest()
    return f"reference-reader-{digest[:24]}"


class SingleInstance(QObject):
    """Sends a request to the running reader, or becomes the one that receives them."""

    request_received = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def send(self, request: str) -> bool:
        """Hand ``request`` to a running reader; True when one took it."""
        data = request.replace("\n", " ").encode("utf-8") + b"\n"
        if hasattr(sockets, "AF_UNIX"):
            with contextlib.suppress(OSError), self._unix_socket() as socket:
                socket.sendall(data)
                return True
            return False
        from PySide6.QtNetwork import QLocalSocket

        local = QLocalSocket()
        local.connectToServer(self.name)
        if not local.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        local.write(data)
        delivered = local.waitForBytesWritten(CONNECT_TIMEOUT_MS) or local.bytesToWrite() == 0
        local.disconnectFromServer()
        if local.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            local.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return delivered

    def listen(self) -> bool:
        """Start receiving requests; False when another live reader holds the name."""
        if self._server is not None:
            return True
        # Asked first: with access options Qt puts its socket in place by renaming,
        # which would silently take the name from a live reader.
        if self._someone_answers():
            return False
        from PySide6.QtNetwork import QAbstractSocket, QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            if server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
                return False
            QLocalServer.removeServer(self.name)  # left behind by a reader that crashed
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def is_listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def close(self) -> None:
        """Stop receiving requests and remove the socket."""
        if self._server is not None:
            self._server.close()
            self._server = None

    def _unix_socket(self) -> sockets.socket:
        """A Unix socket connected to where ``QLocalServer`` listens under this name."""
        socket = sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM)
        socket.settimeout(CONNECT_TIMEOUT_MS / 1000)
        try:
            socket.connect(os.path.join(QDir.tempPath(), self.name))
        except OSError:
            socket.close()
            raise
        return socket

    def _someone_answers(self) -> bool:
        if hasattr(sockets, "AF_UNIX"):
            try:
                self._unix_socket().close()
            except OSError:
                return False
            return True
        from PySide6.QtNetwork import QLocalSocket

        probe = QLocalSocket()
        probe.connectToServer(self.name)
        alive = probe.waitForConnected(CONNECT_TIMEOUT_MS)
        probe.abort()
        return alive

    @Slot()
    def _accept(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._finish(s))
            self._read(socket)  # the request may already be here

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        self._buffers[socket] += bytes(socket.readAll().data())
        if b"\n" in self._buffers[socket] or len(self._buffers[socket]) > MAX_REQUEST:
            self._finish(socket)

    def _finish(self, socket: QLocalSocket) -> None:
        data = self._buffers.pop(socket, None)
        if data is None:
            return
        data += bytes(socket.readAll().data())
        socket.deleteLater()
        line, newline, _ = data.partition(b"\n")
        if newline and len(line) <= MAX_REQUEST:
            self.request_received.emit(line.decode("utf-8", errors="replace"))
