"""What a function prints, read as it is written and kept up to a cap per invocation.

AWS: the runtime sends the function's standard output and errors to CloudWatch Logs as the
function writes them; "Each log event can be no larger than 1 MB" (PutLogEvents).
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html

The emulator reads the worker's output pipe while the invocation runs (so a function that
prints forever never blocks, and never fills memory or the disk) and keeps at most
``OutputLimits.kept_bytes`` per invocation; what is dropped is counted and said in one last
line. A line longer than ``line_bytes`` is cut there, as CloudWatch Logs cuts an event.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class OutputLimits:
    """How much of one invocation's output the emulator keeps."""

    kept_bytes: int = 1024 * 1024
    line_bytes: int = 1024 * 1024
    read_bytes: int = 64 * 1024


class FunctionOutput:
    """The reading end of one worker's stdout/stderr pipe."""

    def __init__(self, fd: int, limits: OutputLimits | None = None) -> None:
        self.fd = fd
        self.limits = limits or OutputLimits()
        self._kept: list[bytes] = []
        self._size = 0
        self._dropped = 0
        self.closed = False
        os.set_blocking(fd, False)

    def read_available(self) -> None:
        """Take what the pipe holds now, without waiting."""
        while not self.closed:
            try:
                chunk = os.read(self.fd, self.limits.read_bytes)
            except BlockingIOError:
                return
            if not chunk:
                self.closed = True
                return
            self._keep(chunk)

    def _keep(self, chunk: bytes) -> None:
        room = self.limits.kept_bytes - self._size
        if room > 0:
            self._kept.append(chunk[:room])
            self._size += min(room, len(chunk))
        self._dropped += max(0, len(chunk) - max(room, 0))

    def take(self) -> str:
        """This invocation's output (and start counting the next one's)."""
        self.read_available()
        text = b"".join(self._kept).decode("utf-8", "replace")
        lines = [_cut(line, self.limits.line_bytes) for line in text.split("\n")]
        if self._dropped:
            lines.append(f"[serverless-lab] output truncated: {self._dropped} bytes dropped "
                         f"(the emulator keeps {self.limits.kept_bytes} bytes per invocation)")
        self._kept, self._size, self._dropped = [], 0, 0
        return "\n".join(lines)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        self.closed = True


def _cut(line: str, limit: int) -> str:
    encoded = line.encode()
    if len(encoded) <= limit:
        return line
    return encoded[:limit].decode("utf-8", "ignore")
