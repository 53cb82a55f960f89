"""Presigned URLs of query-protocol services (IAM, EC2, STS) fetched from ``mfakit aws serve``: the request has
no Authorization header, so moto's dispatcher would fall back to S3 (an admin got a bucket list for an IAM
ListUsers URL; a user was refused ``s3:ListAllMyBuckets``). The service comes from the URL's
``X-Amz-Credential`` scope, as AWS reads it (AWS General Reference, "Authenticating requests: using query
parameters"). Only 127.0.0.1 is contacted."""

from __future__ import annotations

import boto3
import pytest
import requests

from mfakit.aws.embedded.server import local_endpoint


@pytest.fixture(scope="module")
def endpoint():
    with local_endpoint() as info:
        yield info


def _session(key: str, secret: str, region: str) -> boto3.Session:
    return boto3.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name=region)


@pytest.mark.parametrize("service, operation, marker", [
    ("iam", "list_users", "<ListUsersResponse"),
    ("ec2", "describe_vpcs", "<DescribeVpcsResponse"),
    ("sts", "get_caller_identity", "<GetCallerIdentityResponse"),
])
def test_admin_presigned_get_reaches_its_service(endpoint, service, operation, marker):
    admin = _session(endpoint["admin"]["aws_access_key_id"], endpoint["admin"]["aws_secret_access_key"],
                     endpoint["region"])
    url = admin.client(service, endpoint_url=endpoint["endpoint"]).generate_presigned_url(
        operation, Params={}, HttpMethod="GET")
    got = requests.get(url, timeout=10)
    assert got.status_code == 200, got.text[:300]
    assert marker in got.text and "ListAllMyBucketsResult" not in got.text


def test_user_presigned_iam_url_is_decided_as_iam(endpoint):
    admin = _session(endpoint["admin"]["aws_access_key_id"], endpoint["admin"]["aws_secret_access_key"],
                     endpoint["region"])
    iam = admin.client("iam", endpoint_url=endpoint["endpoint"])
    iam.create_user(UserName="presigned-nobody")
    key = iam.create_access_key(UserName="presigned-nobody")["AccessKey"]
    user = _session(key["AccessKeyId"], key["SecretAccessKey"], endpoint["region"])
    url = user.client("iam", endpoint_url=endpoint["endpoint"]).generate_presigned_url(
        "list_users", Params={}, HttpMethod="GET")
    got = requests.get(url, timeout=10)
    assert got.status_code == 403
    assert "iam:ListUsers" in got.text and "s3:" not in got.text  # no policy: an implicit deny on the IAM action


def test_s3_presigned_urls_still_reach_s3(endpoint):
    admin = _session(endpoint["admin"]["aws_access_key_id"], endpoint["admin"]["aws_secret_access_key"],
                     endpoint["region"])
    s3 = admin.client("s3", endpoint_url=endpoint["endpoint"])
    s3.create_bucket(Bucket="presigned-bucket")
    s3.put_object(Bucket="presigned-bucket", Key="k.txt", Body=b"hello")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "presigned-bucket", "Key": "k.txt"})
    got = requests.get(url, timeout=10)
    assert got.status_code == 200 and got.content == b"hello"
