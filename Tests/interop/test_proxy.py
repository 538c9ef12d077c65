"""ksqlDB reached through an HTTP proxy (`ksqldb.proxy` in lake.yaml): a small forwarding proxy
counts what goes through it while datalake plans and applies against the emulator."""
import os
import socket
import threading

from lake_support import Emulator, Lake


class ForwardingProxy:
    """An HTTP proxy as AsyncHTTPClient uses one: `CONNECT host:port` opens a tunnel that is then
    relayed both ways byte for byte (chunked streams included)."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.requests = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(client,), daemon=True).start()

    def handle(self, client):
        with client:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = client.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, rest = data.split(b"\r\n\r\n", 1)
            method, target, _ = head.decode("latin-1").split("\r\n")[0].split(" ")
            self.requests.append((method, target))
            if method != "CONNECT":
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
                return
            host, port = target.rsplit(":", 1)
            with socket.create_connection((host, int(port))) as upstream:
                client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)

                def pump(src, dst):
                    try:
                        while True:
                            chunk = src.recv(65536)
                            if not chunk:
                                break
                            dst.sendall(chunk)
                    except OSError:
                        pass
                    finally:
                        try:
                            dst.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass

                back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
                back.start()
                pump(client, upstream)
                back.join()

    def close(self):
        self.server.close()


def test_plan_and_apply_through_a_proxy():
    emu = Emulator("--demo", "--rows", "200", "--days", "2")
    proxy = ForwardingProxy()
    try:
        lake = Lake(emu, feeds={"transaction_stream", "payment_method_totals"})
        cfg = os.path.join(lake.dir, "lake.yaml")
        text = open(cfg).read().replace("  # proxy: http://proxy.internal:3128", f"  proxy: http://127.0.0.1:{proxy.port}")
        open(cfg, "w").write(text)
        lake.run("apply")
        assert proxy.requests and all(r == ("CONNECT", f"127.0.0.1:{emu.port}") for r in proxy.requests)
        assert lake.metadata("streams", "transaction_stream")["total_records"] == 200
        # The traffic really depends on the proxy: point lake.yaml at a port nobody listens on.
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
        probe.close()
        open(cfg, "w").write(text.replace(f"proxy: http://127.0.0.1:{proxy.port}", f"proxy: http://127.0.0.1:{closed}"))
        failed = lake.run("plan", check=False)
        assert failed.returncode == 1 and "cannot refresh from ksqlDB" in failed.stderr
    finally:
        proxy.close()
        emu.stop()
