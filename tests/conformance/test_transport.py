"""The suite's own HTTP: what it sends is what boto3 sends, and it survives what servers do.

A scripted socket server answers each request with the bytes a test gives it, and keeps
what it received, so the tests see the wire itself.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import http.client
import json
import select
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.endpoint.client import EndpointClient, dummy_credentials
from conformance.endpoint.transport import Transport, TransportError


@dataclass
class Received:
    line: str
    headers: dict[str, str]
    body: bytes
    head: bytes = b""  # the request line and header fields as they came, in order


Reply = Callable[[Received], bytes]


def response(status: int = 200, body: bytes = b"{}", headers: list[tuple[str, str]] = ()) -> bytes:
    fields = [("Content-Type", "application/x-amz-json-1.0"), *headers]
    fields.append(("Content-Length", str(len(body))))
    head = "".join(f"{k}: {v}\r\n" for k, v in fields)
    return f"HTTP/1.1 {status} X\r\n{head}\r\n".encode() + body


def numbered(received: Received) -> bytes:
    """The answer to the Nth request says N: an answer read on the wrong request shows."""
    return response(body=received.headers.get("x-n", "?").encode())


class _Listening:
    """A loopback listener that serves each connection in a thread of its own
    (``_handle``); ``close`` ends every thread."""

    connections: int = 0
    url: str

    def _listen(self, tls: ssl.SSLContext | None) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://localhost:{self._listener.getsockname()[1]}"
        self._open: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(sock)
            self._threads.append(threading.Thread(target=self._handle, args=(sock,), daemon=True))
            self._threads[-1].start()

    def _handle(self, sock: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Stop listening and serving: every thread of the server has ended on return."""
        for sock in [self._listener, *self._open]:
            with contextlib.suppress(OSError):  # wakes a thread blocked in accept or read
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in self._threads:
            thread.join(timeout=5)


@dataclass
class ScriptedServer(_Listening):
    """Answers every request with ``reply(received)``; closes a connection after each
    answer when ``close_after`` is set (without saying so, as an idle timeout would)."""

    reply: Reply
    close_after: bool = False
    tls: ssl.SSLContext | None = None
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    ended: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))

    def __post_init__(self) -> None:
        self._listen(self.tls)

    def _handle(self, sock: socket.socket) -> None:
        if self.tls is not None:
            try:
                sock = self.tls.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate
        reader = sock.makefile("rb")
        with contextlib.ExitStack() as stack:
            stack.callback(self.ended.release)  # after the socket is closed (LIFO)
            stack.enter_context(sock)
            stack.enter_context(reader)
            with contextlib.suppress(ConnectionResetError):  # the client cut the call
                self._conversation(sock, reader)

    def _conversation(self, sock: socket.socket, reader: Any) -> None:
        while True:
            head = reader.readline()
            line = head.decode("latin-1").rstrip("\r\n")
            if not line:
                return
            headers = {}
            while (field := reader.readline()) not in (b"\r\n", b"\n", b""):
                head += field
                name, _, value = field.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = reader.read(int(headers.get("content-length", "0")))
            received = Received(line, headers, body, head)
            self.received.append(received)
            sock.sendall(self.reply(received))
            if self.close_after:
                return


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start from no proxy at all, whatever the machine's environment says."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def server_of() -> Iterator[Callable[..., ScriptedServer]]:
    made: list[ScriptedServer] = []

    def make(reply: Reply, **options: Any) -> ScriptedServer:
        made.append(ScriptedServer(reply, **options))
        return made[-1]

    yield make
    for server in made:
        server.close()


def test_a_connection_the_server_closed_while_idle_is_replaced_not_failed(server_of):
    server = server_of(lambda _: response(), close_after=True)
    transport = Transport(server.url + "/", timeout=5)
    try:
        for _ in range(3):
            answer = transport.post({"Content-Type": "x"}, b"{}")
            assert answer.status == 200
            # the server's close has to have happened before the next request
            assert server.ended.acquire(timeout=5)
    finally:
        transport.close()
    assert server.connections == 3


def test_one_connection_carries_every_request_of_a_thread(server_of):
    server = server_of(lambda _: response())
    transport = Transport(server.url + "/", timeout=5)
    try:
        for _ in range(5):
            transport.post({}, b"{}")
    finally:
        transport.close()
    assert server.connections == 1


def test_a_header_sent_twice_is_joined_as_one_list(server_of):
    server = server_of(lambda _: response(headers=[("X-Twice", "a"), ("X-Twice", "b")]))
    transport = Transport(server.url + "/", timeout=5)
    try:
        answer = transport.post({}, b"{}")
    finally:
        transport.close()
    assert answer.headers["X-Twice"] == "a, b"


def http_client_head(url: str, headers: dict[str, str], body: bytes) -> bytes:
    """What ``http.client`` itself sends for this request (the transport's baseline)."""
    server = ScriptedServer(lambda _: response())
    port = int(server.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("localhost", port, timeout=5)
    try:
        connection.request("POST", url, body=body, headers=headers)
        connection.getresponse().read()
    finally:
        connection.close()
        server.close()
    (seen,) = server.received
    return seen.head.replace(f":{port}".encode(), b":PORT")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "A.B", "X-Z": "1"},
        {"User-Agent": "Botocore/1 ua/2.1", "Accept-Encoding": "gzip", "Host": "other:1"},
        {"x-lower": "a", "X-Upper": "b", "Content-Length": "8"},
    ],
    ids=["none", "botocore's", "host/accept-encoding/user-agent given", "content-length given"],
)
def test_the_request_is_sent_as_given_nothing_added_or_reordered(server_of, headers):
    """Byte for byte what ``http.client`` sends: Host and Accept-Encoding: identity
    (unless given), Content-Length (unless given), then the headers as given; no
    User-Agent of urllib3's own, no Accept: */*, no Connection header."""
    server = server_of(lambda _: response())
    transport = Transport(server.url + "/path?q=1", timeout=5)
    try:
        transport.post(headers, b'{"a": 1}')
    finally:
        transport.close()
    (seen,) = server.received
    port = server.url.rsplit(":", 1)[1]
    assert seen.head.replace(f":{port}".encode(), b":PORT") == http_client_head(
        "/path?q=1", headers, b'{"a": 1}'
    )
    assert seen.body == b'{"a": 1}'
    if not headers:
        assert (
            seen.head
            == (
                f"POST /path?q=1 HTTP/1.1\r\nHost: localhost:{port}\r\n"
                "Accept-Encoding: identity\r\nContent-Length: 8\r\n"
            ).encode()
        )


def test_a_gzip_answer_is_passed_on_as_it_came_not_decoded(server_of):
    packed = gzip.compress(b'{"PhoneNumberId": "x"}')
    server = server_of(lambda _: response(body=packed, headers=[("Content-Encoding", "gzip")]))
    transport = Transport(server.url + "/", timeout=5)
    try:
        answer = transport.post({}, b"{}")
    finally:
        transport.close()
    assert answer.body == packed
    assert answer.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_an_answer_not_followed(server_of, status):
    server = server_of(lambda _: response(status, b"moved", [("Location", "/elsewhere")]))
    transport = Transport(server.url + "/", timeout=5)
    try:
        answer = transport.post({}, b"{}")
    finally:
        transport.close()
    assert (answer.status, answer.headers["Location"], answer.body) == (
        status,
        "/elsewhere",
        b"moved",
    )
    assert len(server.received) == 1


def test_every_header_of_the_answer_is_kept_with_its_spelling(server_of):
    fields = [("x-amzn-RequestId", "r"), ("X-Amzn-ErrorType", "T"), ("Retry-After", "1")]
    server = server_of(lambda _: response(503, b"{}", fields))
    transport = Transport(server.url + "/", timeout=5)
    try:
        answer = transport.post({}, b"{}")
    finally:
        transport.close()
    assert answer.status == 503
    assert answer.headers == {
        "Content-Type": "application/x-amz-json-1.0",
        **dict(fields),
        "Content-Length": "2",
    }
    assert len(server.received) == 1  # a 503 with Retry-After is not retried either


@pytest.mark.parametrize("status", [200, 204, 400])
def test_an_empty_body_is_empty_bytes(server_of, status):
    server = server_of(lambda _: response(status, b""))
    transport = Transport(server.url + "/", timeout=5)
    try:
        answer = transport.post({}, b"{}")
    finally:
        transport.close()
    assert (answer.status, answer.body) == (status, b"")


def test_a_connection_dropped_before_the_answer_is_an_error_and_nothing_is_resent(server_of):
    server = server_of(lambda _: b"", close_after=True)  # reads the request, says nothing
    transport = Transport(server.url + "/", timeout=5)
    try:
        with pytest.raises(TransportError, match=r"RemoteDisconnected|ConnectionReset"):
            transport.post({}, b"{}")
    finally:
        transport.close()
    assert len(server.received) == 1


def test_an_answer_that_is_not_http_is_a_transport_error(server_of):
    server = server_of(lambda _: b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
    transport = Transport(server.url + "/", timeout=5)
    try:
        with pytest.raises(TransportError, match="BadStatusLine"):
            transport.post({}, b"{}")
    finally:
        transport.close()
    assert len(server.received) == 1


def test_an_answer_shorter_than_its_length_is_a_transport_error(server_of):
    server = server_of(
        lambda _: b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", close_after=True
    )
    transport = Transport(server.url + "/", timeout=5)
    try:
        with pytest.raises(TransportError, match="IncompleteRead"):
            transport.post({}, b"{}")
    finally:
        transport.close()


def test_a_silent_endpoint_times_out_and_its_connection_is_not_reused(server_of):
    release = threading.Event()

    def late_for_the_first(received: Received) -> bytes:
        if received.headers["x-n"] == "1":
            release.wait(timeout=10)  # answers only after the client gave up
        return numbered(received)

    server = server_of(late_for_the_first)
    transport = Transport(server.url + "/", timeout=1)
    try:
        with pytest.raises(TransportError, match="timed out"):
            transport.post({"X-N": "1"}, b"{}")
        release.set()
        assert transport.post({"X-N": "2"}, b"{}").body == b"2"
    finally:
        release.set()
        transport.close()
    assert server.connections == 2
    assert len(server.received) == 2  # the timed-out request was not sent again


def test_threads_at_once_each_get_their_own_answer(server_of):
    server = server_of(numbered)
    transport = Transport(server.url + "/", timeout=5)
    answers: dict[str, bytes] = {}

    def calls(thread: int) -> None:
        for call in range(10):
            n = f"{thread}.{call}"
            answers[n] = transport.post({"X-N": n}, b"{}").body

    workers = [threading.Thread(target=calls, args=(i,)) for i in range(6)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        transport.close()
    assert answers == {n: n.encode() for n in answers} and len(answers) == 60
    assert server.connections <= 6


def test_close_closes_the_idle_connections(server_of):
    server = server_of(lambda _: response())
    transport = Transport(server.url + "/", timeout=5)
    transport.post({}, b"{}")
    transport.close()
    assert server.ended.acquire(timeout=5)  # the server saw the connection end
    # a call after close() still works, and leaves no connection open behind it
    assert transport.post({}, b"{}").status == 200
    assert server.ended.acquire(timeout=5)
    assert server.connections == 2


def test_no_listener_is_a_transport_error():
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    transport = Transport(f"http://127.0.0.1:{port}/", timeout=5)
    with pytest.raises(TransportError, match="Connection"):
        transport.post({}, b"{}")


def test_a_plain_proxy_gets_the_whole_url_and_the_proxy_credentials(server_of, monkeypatch):
    proxy = server_of(lambda _: response())
    host = proxy.url.removeprefix("http://")
    monkeypatch.setenv("HTTP_PROXY", f"http://user:p%40ss@{host}")
    transport = Transport("http://endpoint.example:8080/", timeout=5)
    try:
        transport.post({}, b"{}")
    finally:
        transport.close()
    (seen,) = proxy.received
    assert seen.line == "POST http://endpoint.example:8080/ HTTP/1.1"
    assert seen.headers["proxy-authorization"] == "Basic dXNlcjpwQHNz"  # user:p@ss


def test_an_https_endpoint_is_tunnelled_through_the_proxy(server_of, monkeypatch):
    proxy = server_of(lambda _: b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    transport = Transport("https://sms-voice.us-east-1.amazonaws.com/", timeout=5)
    with pytest.raises(TransportError, match="403"):
        transport.post({}, b"{}")
    (seen,) = proxy.received
    assert seen.line.startswith("CONNECT sms-voice.us-east-1.amazonaws.com:443 HTTP/1.")


def test_no_proxy_sends_straight_to_the_endpoint(server_of, monkeypatch):
    endpoint = server_of(lambda _: response())
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "localhost")
    transport = Transport(endpoint.url + "/", timeout=5)
    try:
        assert transport.post({}, b"{}").status == 200
    finally:
        transport.close()


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for localhost, valid for a day, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def localhost_tls(tmp_path: Path) -> tuple[Path, ssl.SSLContext]:
    """A server TLS context for localhost and the certificate that verifies it."""
    cert_file, key_file = _self_signed(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    return cert_file, tls


@pytest.mark.parametrize("trusted", [True, False], ids=["AWS_CA_BUNDLE", "unknown CA"])
def test_https_is_verified_against_the_ca_bundle_botocore_would_use(
    server_of, monkeypatch, localhost_tls, trusted
):
    cert_file, tls = localhost_tls
    server = server_of(lambda _: response(), tls=tls)
    if trusted:
        monkeypatch.setenv("AWS_CA_BUNDLE", str(cert_file))
    else:
        monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    transport = Transport(server.url + "/", timeout=5)
    try:
        if trusted:
            assert transport.post({}, b"{}").status == 200
        else:
            with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
                transport.post({}, b"{}")
    finally:
        transport.close()


class TunnelProxy(_Listening):
    """A CONNECT proxy (spoken to over TLS when ``tls`` is given) that relays the
    tunnelled bytes both ways; keeps the CONNECT requests it got."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.connects: list[Received] = []
        self._listen(tls)

    def _handle(self, sock: socket.socket) -> None:
        with contextlib.ExitStack() as stack:
            stack.enter_context(sock)
            if self.tls is not None:
                try:
                    sock = stack.enter_context(self.tls.wrap_socket(sock, server_side=True))
                except (ssl.SSLError, OSError):
                    return  # the client refused our certificate
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                data += chunk
            head, _, early = data.partition(b"\r\n\r\n")
            line, *fields = head.decode("latin-1").split("\r\n")
            headers = {
                k.strip().lower(): v.strip() for k, _, v in (f.partition(":") for f in fields)
            }
            self.connects.append(Received(line, headers, b"", head))
            host, _, port = line.split()[1].rpartition(":")
            upstream = stack.enter_context(socket.create_connection((host, int(port)), 5))
            self._open.append(upstream)
            sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if early:
                upstream.sendall(early)
            while True:  # one thread both ways: an SSL socket is not for two threads
                pending = isinstance(sock, ssl.SSLSocket) and sock.pending()
                ready = [sock] if pending else select.select([sock, upstream], [], [], 5)[0]
                for side in ready:
                    try:
                        chunk = side.recv(65536)
                        if not chunk:
                            return  # one side ended: the tunnel ends
                        (upstream if side is sock else sock).sendall(chunk)
                    except OSError:
                        return


@pytest.fixture
def tunnel_proxy_of() -> Iterator[Callable[..., TunnelProxy]]:
    made: list[TunnelProxy] = []

    def make(**options: Any) -> TunnelProxy:
        made.append(TunnelProxy(**options))
        return made[-1]

    yield make
    for proxy in made:
        proxy.close()


def test_an_http_endpoint_goes_through_an_https_proxy_over_tls(
    server_of, monkeypatch, localhost_tls
):
    cert_file, tls = localhost_tls
    proxy = server_of(lambda _: response(), tls=tls)
    monkeypatch.setenv("AWS_CA_BUNDLE", str(cert_file))
    monkeypatch.setenv("HTTP_PROXY", proxy.url.replace("https://", "https://user:p%40ss@"))
    transport = Transport("http://endpoint.example:8080/", timeout=5)
    try:
        assert transport.post({}, b"{}").status == 200
    finally:
        transport.close()
    (seen,) = proxy.received
    assert seen.line == "POST http://endpoint.example:8080/ HTTP/1.1"
    assert seen.headers["host"] == "endpoint.example:8080"
    assert seen.headers["proxy-authorization"] == "Basic dXNlcjpwQHNz"  # user:p@ss


@pytest.mark.parametrize("proxy_scheme", ["http", "https"])
def test_an_https_endpoint_is_reached_through_a_connect_tunnel(
    server_of, tunnel_proxy_of, monkeypatch, localhost_tls, proxy_scheme
):
    """The whole exchange, TLS to the endpoint inside the tunnel (inside TLS to an
    https:// proxy); the tunnel is kept for the next request like any connection."""
    cert_file, tls = localhost_tls
    endpoint = server_of(numbered, tls=tls)
    proxy = tunnel_proxy_of(tls=tls if proxy_scheme == "https" else None)
    monkeypatch.setenv("AWS_CA_BUNDLE", str(cert_file))  # verifies both (one certificate)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url.replace("://", "://user:p%40ss@"))
    transport = Transport(endpoint.url + "/", timeout=5)
    try:
        assert transport.post({"X-N": "1"}, b"{}").body == b"1"
        assert transport.post({"X-N": "2"}, b"{}").body == b"2"
    finally:
        transport.close()
    (connect,) = proxy.connects
    port = endpoint.url.rsplit(":", 1)[1]
    assert connect.line.startswith(f"CONNECT localhost:{port} HTTP/1.")
    assert connect.headers["proxy-authorization"] == "Basic dXNlcjpwQHNz"
    assert endpoint.connections == 1
    # inside the tunnel the request is the endpoint's own: no proxy credentials in it
    assert [seen.line for seen in endpoint.received] == ["POST / HTTP/1.1"] * 2
    assert all("proxy-authorization" not in seen.headers for seen in endpoint.received)


def test_an_https_proxy_is_verified_against_the_ca_bundle(
    server_of, monkeypatch, localhost_tls, tmp_path
):
    _, tls = localhost_tls
    proxy = server_of(lambda _: response(), tls=tls)
    (tmp_path / "other").mkdir()
    other, _ = _self_signed(tmp_path / "other")
    monkeypatch.setenv("AWS_CA_BUNDLE", str(other))  # trusts some other certificate
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    transport = Transport("http://endpoint.example:8080/", timeout=5)
    try:
        with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
            transport.post({}, b"{}")
    finally:
        transport.close()
    assert proxy.received == []


def test_proxy_credentials_never_show_in_an_error(monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://user:secret@127.0.0.1:{port}")
    transport = Transport("http://endpoint.example:8080/", timeout=5)
    with pytest.raises(TransportError, match="proxy") as raised:
        transport.post({}, b"{}")
    assert "secret" not in str(raised.value)


# -- the client sends what boto3 sends, and reads errors as boto3 reads them ---------


def boto3_client(url: str) -> Any:
    return boto3.client(
        "pinpoint-sms-voice-v2",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"total_max_attempts": 1}),
    )


PARAMS = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberCapabilities": ["SMS", "VOICE"],
    "NumberType": "SIMULATOR",
    "Tags": [{"Key": "k", "Value": "ü"}],
}


@pytest.mark.parametrize("path", ["", "/", "/prefix", "/prefix/"])
def test_call_sends_the_body_and_headers_boto3_sends(server_of, monkeypatch, path):
    # inside Lambda botocore adds X-Amzn-Trace-Id (recursion detection): so must we
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "f")
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793")
    server = server_of(lambda _: response())
    theirs = boto3_client(server.url + path)
    theirs.request_phone_number(**PARAMS)
    theirs.close()
    ours = EndpointClient(server.url + path, "us-east-1", dummy_credentials())
    try:
        ours.call("RequestPhoneNumber", PARAMS)
    finally:
        ours.close()
    theirs, mine = server.received
    assert mine.line == theirs.line
    assert "x-amzn-trace-id" in mine.headers
    # ClientToken: each fills in a fresh UUID of its own
    their_body, my_body = json.loads(theirs.body), json.loads(mine.body)
    assert len(my_body.pop("ClientToken")) == len(their_body.pop("ClientToken")) == 36
    assert my_body == their_body
    differ = {"authorization", "x-amz-date", "amz-sdk-invocation-id", "user-agent"}
    assert {k: v for k, v in mine.headers.items() if k not in differ} == {
        k: v for k, v in theirs.headers.items() if k not in differ
    }
    assert mine.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDCONF")
    # botocore's own user agent (boto3 puts its name first, then botocore's as metadata)
    assert mine.headers["user-agent"].startswith(f"Botocore/{botocore.__version__} ua/")


ERROR_TYPES = st.sampled_from(
    [
        "ValidationException",
        "com.amazonaws.pinpointsmsvoicev2#ConflictException",
        "ResourceNotFoundException:http://internal.amazon.com/coral/",
        "aws.protocols#Unknown",
        "",
    ]
)


@st.composite
def error_answers(draw: st.DrawFn) -> bytes:
    body: dict[str, Any] = {}
    headers = []
    for key in draw(st.sets(st.sampled_from(["__type", "code", "header"]))):
        if key == "header":
            headers.append(("X-Amzn-Errortype", draw(ERROR_TYPES)))
        else:
            body[key] = draw(ERROR_TYPES)
    if draw(st.booleans()):
        body["message"] = "m"
    if draw(st.booleans()):
        headers.append(("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"))
    raw = draw(st.sampled_from([json.dumps(body).encode(), b"", b"not json", b"<html>503</html>"]))
    return response(draw(st.sampled_from([301, 302, 400, 404, 409, 500, 503])), raw, headers)


@settings(max_examples=60, deadline=None)
@given(answer=error_answers())
def test_the_error_code_read_is_the_one_a_boto3_client_error_carries(answer):
    server = ScriptedServer(lambda _: answer)
    ours = EndpointClient(server.url, "us-east-1", dummy_credentials())
    theirs = boto3_client(server.url)
    try:
        outcome = ours.call("RequestPhoneNumber", PARAMS)
        with pytest.raises(ClientError) as raised:
            theirs.request_phone_number(**PARAMS)
    finally:
        ours.close()
        theirs.close()
        server.close()
    assert outcome.sdk_error_code == (raised.value.response["Error"].get("Code") or None)


def test_the_scripted_server_leaves_no_thread_behind(server_of):
    """Other modules count threads: the servers of this one must not add to them."""
    server = ScriptedServer(lambda _: response())
    Transport(server.url + "/", timeout=5).post({}, b"{}")  # left open by the client
    server.close()
    assert not [thread for thread in server._threads if thread.is_alive()]


def test_threads_one_after_another_share_one_connection(server_of):
    """A property that starts threads for every example must not open a connection (and
    a server thread) per thread it ever started."""
    server = server_of(lambda _: response())
    transport = Transport(server.url + "/", timeout=5)
    try:
        for _ in range(20):
            worker = threading.Thread(target=transport.post, args=({}, b"{}"))
            worker.start()
            worker.join()
    finally:
        transport.close()
    assert len(server.received) == 20
    assert server.connections == 1


@pytest.mark.parametrize(
    "where",
    [(http.client.HTTPConnection, "getresponse"), (http.client.HTTPResponse, "read")],
    ids=["before the answer", "in the body"],
)
def test_a_call_interrupted_half_way_does_not_spoil_the_next(server_of, monkeypatch, where):
    server = server_of(numbered)
    transport = Transport(server.url + "/", timeout=5)
    owner, name = where
    real = getattr(owner, name)
    pressed = []

    def ctrl_c_once(self: Any, *args: Any) -> Any:
        if not pressed:
            pressed.append(True)
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(owner, name, ctrl_c_once)
    try:
        with pytest.raises(KeyboardInterrupt):
            transport.post({"X-N": "1"}, b"{}")
        # e.g. the release after Ctrl-C: its own answer, not the one left on the wire
        assert transport.post({"X-N": "2"}, b"{}").body == b"2"
    finally:
        transport.close()
    assert server.connections == 2  # the half-used connection was not sent on again


def test_a_proxy_neither_http_nor_https_is_refused_before_anything_is_sent(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "socks5://user:secret@proxy.example:1080")
    with pytest.raises(TransportError, match="only http:// and https:// proxies") as raised:
        Transport("https://sms-voice.us-east-1.amazonaws.com/", timeout=5)
    assert "secret" not in str(raised.value)


def test_a_throttled_call_is_retried_as_botocore_retries_it(server_of):
    """Same invocation id, attempts counted, the same ClientToken every time."""
    throttled = response(400, b'{"__type": "ThrottlingException", "Message": "slow down"}')
    server = server_of(lambda seen: throttled if len(server.received) < 3 else response())
    ours = EndpointClient(server.url, "us-east-1", dummy_credentials())
    try:
        outcome = ours.call("RequestPhoneNumber", PARAMS)
    finally:
        ours.close()
    assert outcome.ok and outcome.throttled_retries == 2
    assert [r.headers["amz-sdk-request"] for r in server.received] == [
        "attempt=1",
        "attempt=2",
        "attempt=3",
    ]
    assert len({r.headers["amz-sdk-invocation-id"] for r in server.received}) == 1
    assert len({json.loads(r.body)["ClientToken"] for r in server.received}) == 1


def test_a_raw_call_carries_the_headers_a_botocore_call_does(server_of, monkeypatch):
    """Only the body differs between the two paths: botocore's common headers (user
    agent, retry and, inside Lambda, trace headers) go on raw requests too."""
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "f")
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793")
    server = server_of(lambda _: response())
    ours = EndpointClient(server.url, "us-east-1", dummy_credentials())
    try:
        ours.call("RequestPhoneNumber", PARAMS)
        ours.call_raw("RequestPhoneNumber", {"not": "modelled"})
    finally:
        ours.close()
    botocore_call, raw_call = server.received
    differ = {"authorization", "x-amz-date", "amz-sdk-invocation-id", "content-length"}
    assert {k for k in raw_call.headers if k not in differ} == {
        k for k in botocore_call.headers if k not in differ
    }
    assert raw_call.headers["x-amzn-trace-id"] == botocore_call.headers["x-amzn-trace-id"]
