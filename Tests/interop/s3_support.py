"""moto's S3 server for the S3 tests, started on a free loopback port with signature checking
enforced: after the set-up calls (an IAM user, its policy and access key) every request must be
signed with that key, so a signing bug fails the tests."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

import pytest

SETUP_CALLS = 3  # CreateUser, PutUserPolicy, CreateAccessKey


class MotoS3:
    def __init__(self, bucket="demo"):
        moto = os.path.join(os.path.dirname(sys.executable), "moto_server")
        if not os.path.exists(moto):
            pytest.fail("moto_server is not in the venv (scripts/install-venv.sh installs moto[server])")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.log = tempfile.NamedTemporaryFile(prefix="moto-", suffix=".log", delete=False)
        env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": str(SETUP_CALLS)}
        self.proc = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(self.port)], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("moto_server did not start: " + open(self.log.name).read())
                time.sleep(0.1)
        import boto3
        iam = boto3.client("iam", endpoint_url=self.url, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
        iam.create_user(UserName="lake")
        iam.put_user_policy(UserName="lake", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="lake")["AccessKey"]
        self.access_key, self.secret_key = key["AccessKeyId"], key["SecretAccessKey"]
        self.bucket = bucket
        self.client().create_bucket(Bucket=bucket)

    def client(self, secret=None):
        import boto3
        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=self.access_key, aws_secret_access_key=secret or self.secret_key)

    def env(self, **extra):
        return {**os.environ, "AWS_ACCESS_KEY_ID": self.access_key, "AWS_SECRET_ACCESS_KEY": self.secret_key,
                "AWS_REGION": "us-east-1", **extra}

    def objects(self, prefix=""):
        """key → (size, ETag, LastModified) of every object below `prefix`."""
        out = {}
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for o in page.get("Contents", []):
                out[o["Key"]] = (o["Size"], o["ETag"], o["LastModified"])
        return out

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class FaultyS3Proxy:
    """An HTTP proxy in front of moto that answers some PUTs with 503 SlowDown and drops the
    connection of others after reading their body, to prove the client's retries: the Host header
    is passed on untouched, so moto checks the signature the client made."""

    def __init__(self, upstream_port, slowdown_every=3, drop_every=5):
        import http.client
        import http.server
        import threading
        proxy = self
        self.slowdowns = 0
        self.drops = 0
        self.puts = 0
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = None
                if self.command == "PUT" and "If-None-Match" not in self.headers:
                    with proxy.lock:
                        proxy.puts += 1
                        if proxy.puts % slowdown_every == 0:
                            fault, proxy.slowdowns = "slowdown", proxy.slowdowns + 1
                        elif proxy.puts % drop_every == 0:
                            fault, proxy.drops = "drop", proxy.drops + 1
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault == "slowdown":
                    text = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                    self.send_response(503)
                    self.send_header("Content-Length", str(len(text)))
                    self.end_headers()
                    self.wfile.write(text)
                    return
                conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
                conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for name, value in self.headers.items():
                    conn.putheader(name, value)
                conn.endheaders(body)
                r = conn.getresponse()
                data = r.read()
                self.send_response(r.status)
                for name, value in r.getheaders():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_one

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
