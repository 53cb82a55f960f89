"""Every way of reaching the embedded AWS is authorized by the kit (issue 14's bypasses), with AWS's answers."""

from __future__ import annotations

import json

import botocore.session
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

import moto  # noqa: F401 - imported before the context, as a long-running program would have it

from mfakit.aws.embedded import embedded
from mfakit.aws.policygen import forced_mfa_policy

USER = "bob"
ARN = f"arn:aws:iam::123456789012:user/{USER}"


@pytest.fixture(scope="module")
def world():
    early = botocore.session.get_session()  # created BEFORE the embedded AWS exists
    with embedded() as aws:
        iam = aws.admin.client("iam")
        pol = iam.create_policy(PolicyName="forced-mfa", PolicyDocument=json.dumps(forced_mfa_policy("aws")))
        iam.create_user(UserName=USER)
        for arn in (pol["Policy"]["Arn"], "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess",
                    "arn:aws:iam::aws:policy/IAMReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"):
            iam.attach_user_policy(UserName=USER, PolicyArn=arn)
        key = iam.create_access_key(UserName=USER)["AccessKey"]
        s3 = aws.admin.client("s3")
        s3.create_bucket(Bucket="team-bucket")
        s3.put_object(Bucket="team-bucket", Key="secret.txt", Body=b"the body")
        yield aws, early, key


def _code(exc: pytest.ExceptionInfo) -> tuple[str, str, int]:
    r = exc.value.response
    return r["Error"]["Code"], r["Error"]["Message"], r["ResponseMetadata"]["HTTPStatusCode"]


def test_client_from_a_session_created_before_the_context(world):
    aws, early, key = world
    ec2 = early.create_client("ec2", region_name="us-east-1", aws_access_key_id=key["AccessKeyId"],
                              aws_secret_access_key=key["SecretAccessKey"])
    with pytest.raises(ClientError) as exc:
        ec2.describe_vpcs()
    code, msg, status = _code(exc)
    assert (code, status) == ("UnauthorizedOperation", 403)
    assert msg.startswith(f"You are not authorized to perform this operation. User: {ARN} is not authorized "
                          "to perform: ec2:DescribeVpcs with an explicit deny in an identity-based policy: "
                          "arn:aws:iam::123456789012:policy/forced-mfa")
    iam = early.create_client("iam", region_name="us-east-1", aws_access_key_id=key["AccessKeyId"],
                              aws_secret_access_key=key["SecretAccessKey"])
    with pytest.raises(ClientError) as exc:  # no attached policy grants it, MFA or not
        iam.create_user(UserName="intruder")
    assert _code(exc)[0] == "AccessDenied"
    assert "intruder" not in aws.backend.users


def test_presigned_urls_fetched_with_requests(world):
    aws, _, key = world
    sess = aws.session(key["AccessKeyId"], key["SecretAccessKey"])
    url = sess.client("s3").generate_presigned_url("get_object", Params={"Bucket": "team-bucket",
                                                                         "Key": "secret.txt"})
    got = requests.get(url, timeout=5)
    assert got.status_code == 403 and b"the body" not in got.content
    assert b"<Code>AccessDenied</Code>" in got.content and b"s3:GetObject" in got.content
    url = sess.client("iam").generate_presigned_url("list_users", HttpMethod="GET")
    got = requests.get(url, timeout=5)
    assert got.status_code == 403 and b"<Code>AccessDenied</Code>" in got.content
    assert b"<UserName>" not in got.content
    # botocore signs a query-protocol URL for POST unless told otherwise: fetched with GET, the signature
    # cannot match (what was signed is not what was sent) and the request is refused as AWS refuses it
    got = requests.get(sess.client("iam").generate_presigned_url("list_users"), timeout=5)
    assert got.status_code == 403 and b"<Code>SignatureDoesNotMatch</Code>" in got.content
    admin_url = aws.admin.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": "team-bucket", "Key": "secret.txt"})
    assert requests.get(admin_url, timeout=5).content == b"the body"  # the admin's URL works: not a blanket 403


def test_raw_sigv4_request(world):
    _, _, key = world
    req = AWSRequest("POST", "https://ec2.us-east-1.amazonaws.com/", data="Action=DescribeVpcs&Version=2016-11-15",
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(key["AccessKeyId"], key["SecretAccessKey"]), "ec2", "us-east-1").add_auth(req)
    got = requests.post(req.url, data=req.body, headers=dict(req.headers.items()), timeout=5)
    assert got.status_code == 403
    assert b"<Code>UnauthorizedOperation</Code>" in got.content and b"<VpcId>" not in got.content


def test_a_known_key_id_with_the_wrong_secret(world):
    aws, _, key = world
    forged = aws.session(key["AccessKeyId"], "not-the-secret")
    with pytest.raises(ClientError) as exc:
        forged.client("iam").list_users()
    assert _code(exc)[0] == "SignatureDoesNotMatch"
    with pytest.raises(ClientError) as exc:
        forged.client("ec2").describe_vpcs()
    assert _code(exc)[:2] == ("AuthFailure", "AWS was not able to validate the provided access credentials")
    with pytest.raises(ClientError) as exc:
        forged.client("s3").list_buckets()
    assert _code(exc)[0] == "SignatureDoesNotMatch"
    url = forged.client("s3").generate_presigned_url("get_object", Params={"Bucket": "team-bucket",
                                                                           "Key": "secret.txt"})
    assert b"SignatureDoesNotMatch" in requests.get(url, timeout=5).content


def test_unknown_keys_and_unsigned_requests(world):
    aws, _, _ = world
    ghost = aws.session("AKIAGHOSTGHOSTGHOST1", "nope")
    with pytest.raises(ClientError) as exc:
        ghost.client("ec2").describe_vpcs()
    assert _code(exc) == ("AuthFailure", "AWS was not able to validate the provided access credentials", 401)
    with pytest.raises(ClientError) as exc:
        ghost.client("iam").list_users()
    assert _code(exc) == ("InvalidClientTokenId", "The security token included in the request is invalid", 403)
    with pytest.raises(ClientError) as exc:
        ghost.client("s3").list_buckets()
    assert _code(exc)[0] == "InvalidAccessKeyId"
    got = requests.post("https://iam.amazonaws.com/", data="Action=ListUsers&Version=2010-05-08", timeout=5)
    assert got.status_code == 403 and b"MissingAuthenticationToken" in got.content


def test_session_tokens(world):
    aws, _, key = world
    sess = aws.session(key["AccessKeyId"], key["SecretAccessKey"])
    c = sess.client("sts").get_session_token()["Credentials"]  # no MFA
    temp = aws.session(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    with pytest.raises(ClientError) as exc:  # IAM refuses GetSessionToken credentials without MFA
        temp.client("iam").get_user()
    assert _code(exc) == ("InvalidClientTokenId", "The security token included in the request is invalid", 403)
    with pytest.raises(ClientError) as exc:  # EC2 takes them, and the policy denies (MFA "false")
        temp.client("ec2").describe_vpcs()
    assert _code(exc)[0] == "UnauthorizedOperation"
    forged = aws.session(c["AccessKeyId"], c["SecretAccessKey"], "not-the-token")
    with pytest.raises(ClientError) as exc:
        forged.client("sts").get_caller_identity()
    assert _code(exc)[0] == "InvalidClientTokenId"
    with pytest.raises(ClientError) as exc:  # a long-term key with a token attached is not that user
        aws.session(key["AccessKeyId"], key["SecretAccessKey"], "x").client("sts").get_caller_identity()
    assert _code(exc)[0] == "InvalidClientTokenId"
    mfa = aws.session_for(USER, mfa=True)
    assert [v for v in mfa.client("ec2").describe_vpcs()["Vpcs"]]  # allowed with MFA: moto answers
    assert mfa.client("s3").list_buckets()["Buckets"][0]["Name"] == "team-bucket"


def test_action_names_from_the_service_authorization_reference(world):
    from mfakit.aws.embedded.iam_actions import action_exists, iam_action, service_prefix

    assert iam_action("s3", "ListBuckets") == "s3:ListAllMyBuckets"
    assert iam_action("s3", "HeadObject") == "s3:GetObject"
    assert iam_action("ec2", "DescribeVpcs") == "ec2:DescribeVpcs"
    assert service_prefix("cloudwatch", "monitoring") == "cloudwatch"
    assert service_prefix("elbv2", "elasticloadbalancing") == "elasticloadbalancing"
    assert iam_action("iam", "NoSuchOperation") is None
    assert action_exists("s3:ListAllMyBuckets") and not action_exists("s3:ListBuckets")
    aws, _, _ = world
    iam = aws.admin.client("iam")
    iam.create_user(UserName="lister")
    iam.put_user_policy(UserName="lister", PolicyName="wrong-name", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBuckets", "Resource": "*"}]}))
    lister = aws.session_for("lister")
    with pytest.raises(ClientError) as exc:  # s3:ListBuckets is not an IAM action: nothing allows the call
        lister.client("s3").list_buckets()
    assert "s3:ListAllMyBuckets" in _code(exc)[1] and "no identity-based policy allows" in _code(exc)[1]
    iam.put_user_policy(UserName="lister", PolicyName="right-name", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets",
                                                 "Resource": "*"}]}))
    assert lister.client("s3").list_buckets()["Buckets"]


def test_cloudwatch_is_cloudwatch_not_monitoring(world):
    """CloudWatch signs as "monitoring", but its IAM prefix is cloudwatch (Service Authorization Reference)."""
    aws, _, _ = world
    iam = aws.admin.client("iam")
    iam.create_user(UserName="watcher")
    iam.put_user_policy(UserName="watcher", PolicyName="signing-name", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "monitoring:*", "Resource": "*"}]}))
    cw = aws.session_for("watcher").client("cloudwatch")
    with pytest.raises(ClientError) as exc:
        cw.list_metrics()
    assert "cloudwatch:ListMetrics" in _code(exc)[1]
    iam.put_user_policy(UserName="watcher", PolicyName="iam-prefix", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "cloudwatch:*", "Resource": "*"}]}))
    assert isinstance(cw.list_metrics()["Metrics"], list)  # allowed: moto answers


def test_services_moto_routes_outside_call_action_are_decided_too(world):
    """Lambda's REST routes reach moto's handlers without call_action: the kit decides right after moto
    parsed the request, so they are authorized like the rest."""
    aws, _, _ = world
    iam = aws.admin.client("iam")
    iam.create_user(UserName="dev")
    dev = aws.session_for("dev")
    with pytest.raises(ClientError) as exc:
        dev.client("lambda").list_functions()
    assert _code(exc)[0] == "AccessDeniedException" and "lambda:ListFunctions" in _code(exc)[1]
    with pytest.raises(ClientError) as exc:
        dev.client("sqs").list_queues()
    assert "sqs:ListQueues" in _code(exc)[1]
    iam.put_user_policy(UserName="dev", PolicyName="p", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:List*", "Resource": "*"}]}))
    assert dev.client("lambda").list_functions()["Functions"] == []


def test_an_expired_presigned_url_is_refused(world, monkeypatch):
    import time as _time

    import mfakit.aws.embedded.signatures as sig

    aws, _, _ = world
    url = aws.admin.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": "team-bucket", "Key": "secret.txt"}, ExpiresIn=60)
    assert requests.get(url, timeout=5).content == b"the body"
    real = _time.time
    monkeypatch.setattr(sig.time, "time", lambda: real() + 3600)  # an hour later
    got = requests.get(url, timeout=5)
    assert got.status_code == 403 and b"Request has expired" in got.content and b"the body" not in got.content


def test_session_credentials_expire_and_old_requests_are_refused(world, monkeypatch):
    import time as _time

    import mfakit.aws.embedded.signatures as sig

    aws, _, key = world
    sess = aws.session(key["AccessKeyId"], key["SecretAccessKey"])
    c = sess.client("sts").get_session_token(DurationSeconds=900)["Credentials"]
    temp = aws.session(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]).client("ec2")
    with pytest.raises(ClientError) as exc:
        temp.describe_vpcs()
    assert _code(exc)[0] == "UnauthorizedOperation"  # still valid (the policy denies: no MFA)
    aws.sleep(901)
    with pytest.raises(ClientError) as exc:
        temp.describe_vpcs()
    assert _code(exc) == ("ExpiredToken", "The security token included in the request is expired", 403)
    real = _time.time
    monkeypatch.setattr(sig.time, "time", lambda: real() + 3600)  # the request is signed an hour "ago"
    with pytest.raises(ClientError) as exc:
        aws.admin.client("iam").list_users()
    assert _code(exc)[:1] == ("RequestExpired",)
