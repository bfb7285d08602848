"""SigV4 oracle for sigv4_test.cc: signs each request on stdin (JSON list) with botocore's
S3SigV4Auth at a fixed time and prints one Authorization header per line.
Run with /usr/bin/python3 (Debian's python3-botocore)."""
import datetime
import json
import sys
import types
from unittest import mock

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

cases = json.load(sys.stdin)
for c in cases:
    req = AWSRequest(method=c["method"], url=c["url"], headers=dict(c["headers"]), data=c["body"].encode())
    if c["unsigned_payload"]:
        req.context["client_config"] = types.SimpleNamespace(s3={"payload_signing_enabled": False})
    creds = Credentials(c["access_key"], c["secret_key"], c["token"] or None)
    auth = S3SigV4Auth(creds, c["service"], c["region"])
    when = datetime.datetime.utcfromtimestamp(c["time"])
    with mock.patch("botocore.auth.datetime") as dt:
        dt.datetime.utcnow.return_value = when
        dt.datetime.now.return_value = when
        auth.add_auth(req)
    print(req.headers["Authorization"])
