import socket

import pytest

from tests.conftest import NetworkUsed


def test_the_network_guard_refuses_a_connection():
    with pytest.raises(NetworkUsed):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NetworkUsed):
            sock.connect(("192.0.2.1", 80))
    finally:
        sock.close()
