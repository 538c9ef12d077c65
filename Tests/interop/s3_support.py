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
