"""One Coach per data folder.

Two Coaches on the same data folder would each think they are the only one:
the second would close the first one's running session as "interrupted" and
both would write the same settings. So the first Coach holds a lock file in
the data folder (``QLockFile``: the process id and the computer's name; a lock
left by a Coach that crashed is found stale and taken over) and listens on a
local socket (``QLocalServer``: a socket file in the user's runtime folder, or
a named pipe on Windows; nothing leaves the computer). A second Coach hands
its request (show the window, open a file) to the first and ends; when the
first cannot be reached (it runs on another computer that shares the folder,
or it hangs), the second one refuses to start and says why.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Only what the claim needs before the window is on screen; the rest (Qt
# Network among it) is imported when it is used.
from PySide6.QtCore import QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_NAME = "coach.lock"
CONNECT_MS = 3000
"""How long a second Coach tries to reach the first (it may be starting up)."""


def server_name(data: Path) -> str:
    """The first Coach's socket for this data folder: in the runtime folder, by the
    folder's hash (two people's folders never share a socket)."""
    from PySide6.QtCore import QCryptographicHash, QStandardPaths

    # Qt's hash, not hashlib's: that one loads OpenSSL (~4 MiB for the tray).
    digest = QCryptographicHash.hash(os.fsencode(data), QCryptographicHash.Algorithm.Sha256)
    name = "coach-" + bytes(digest.toHex().data()).decode("ascii")[:16]
    if sys.platform == "win32":
        return name  # a named pipe
    if sys.platform == "darwin":
        runtime = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
    else:
        # Read here: Qt's own lookup warns on stderr when the variable is unset.
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_dir():
        return str(Path(runtime) / name)
    return name  # Qt puts it in the temporary folder, owner-only (UserAccessOption)


class Instance(QObject):
    """This Coach's claim on a data folder; :meth:`claim` first, :meth:`release` at the end."""

    request = Signal(dict)
    """A second Coach's request: ``{"show": True}``, ``{"open": "/path"}`` or ``{"tray": True}``."""

    def __init__(self, data: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self._lock = QLockFile(str(data / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # held for hours: stale only when its Coach is gone
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def claim(self) -> bool:
        """Take the data folder; False when another Coach has it.

        A folder where no lock can be written at all (read-only, missing) is not
        refused: nothing can be saved there anyway, and the store says so.
        """
        if self._lock.tryLock(0):
            with contextlib.suppress(OSError):
                os.chmod(self.data / LOCK_NAME, 0o600)
            return True
        return self._lock.error() != QLockFile.LockError.LockFailedError

    def listen(self) -> None:
        """Wait for a second Coach's requests (after :meth:`claim`).

        Called once the window is on screen: Qt Network is loaded only then,
        and a second Coach tries for a few seconds to reach this one.
        """
        from PySide6.QtNetwork import QLocalServer

        if not self._lock.isLocked() or self._server is not None:
            return
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(self.data)
        # A socket file left by a Coach that crashed: ours now, we hold the lock.
        QLocalServer.removeServer(name)
        if server.listen(name):
            server.newConnection.connect(self._accept)
            self._server = server

    def _accept(self) -> None:
        assert self._server is not None
        while (client := self._server.nextPendingConnection()) is not None:
            self._clients.append(client)
            client.readyRead.connect(lambda c=client: self._read(c))
            client.disconnected.connect(lambda c=client: self._drop(c))

    def _read(self, client: QLocalSocket) -> None:
        while client.canReadLine():
            line = bytes(client.readLine().data()).strip()
            try:
                message = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                message = None
            if not isinstance(message, dict):
                client.write(b"?\n")
                continue
            client.write(b"ok\n")
            client.flush()
            self.request.emit(message)

    def _drop(self, client: QLocalSocket) -> None:
        if client in self._clients:
            self._clients.remove(client)
        client.deleteLater()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()


def hand_over(data: Path, message: dict[str, object], timeout_ms: int = CONNECT_MS) -> bool:
    """Give ``message`` to the Coach that has ``data``; True once it said it took it."""
    from PySide6.QtCore import QDeadlineTimer, QThread
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    name = server_name(data)
    deadline = QDeadlineTimer(timeout_ms)
    while True:
        socket.connectToServer(name)
        if socket.waitForConnected(500):
            break
        socket.abort()
        if deadline.hasExpired():
            return False
        QThread.msleep(200)  # the first Coach may hold the lock and not listen yet
    socket.write(json.dumps(message).encode("utf-8") + b"\n")
    answer = b""
    if socket.waitForBytesWritten(timeout_ms) and socket.waitForReadyRead(timeout_ms):
        answer = bytes(socket.readLine().data()).strip()
    socket.disconnectFromServer()
    return answer == b"ok"
