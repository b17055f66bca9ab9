"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives, or refuses what a test tells it to."""

import asyncio
import email
import socket
import threading
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """The handler: stores parsed messages; refuses recipients listed in ``refuse``."""

    def __init__(self, delay: float = 0.0):
        self.messages: list[email.message.EmailMessage] = []
        self.in_transaction = 0  # senders between RCPT and the end of DATA
        self.refuse: set[str] = set()
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Нет такого ящика"
        with self.lock:
            self.in_transaction += 1
        if self.delay:  # a slow server, before the commit point (the final dot of DATA)
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default)
        with self.lock:
            self.messages.append(message)
            self.in_transaction -= 1
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


class SMTPServer:
    def __init__(self, delay: float = 0.0):
        self.port = free_port()
        self.inbox = Inbox(delay)
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
