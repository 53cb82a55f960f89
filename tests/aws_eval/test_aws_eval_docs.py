"""Evaluator cases derived from the AWS IAM User Guide; each case cites the page it comes from."""

from __future__ import annotations

from typing import Any

import pytest

from mfakit.aws.evaluator import evaluate

G = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
U_MFA = G + "id_credentials_mfa_configure-api-require.html"
U_MFAKEY = G + "reference_policies_condition-keys.html#condition-keys-multifactorauthpresent"
U_OPS = G + "reference_policies_elements_condition_operators.html"
U_IFX = U_OPS + "#Conditions_IfExists"
U_NULL = U_OPS + "#Conditions_Null"
U_MULTI = G + "reference_policies_condition-single-vs-multi-valued-context-keys.html"
U_VARS = G + "reference_policies_variables.html"
U_NOTACTION = G + "reference_policies_elements_notaction.html"
U_NOTRES = G + "reference_policies_elements_notresource.html"
U_ACTION = G + "reference_policies_elements_action.html"
U_RES = G + "reference_policies_elements_resource.html"
U_LOGIC = G + "reference_policies_evaluation-logic.html"
U_VERSION = G + "reference_policies_elements_version.html"
U_COND = G + "reference_policies_elements_condition.html"
U_EXAMPLE = G + "reference_policies_examples_aws_my-sec-creds-self-manage.html"

A, E, I = "allowed", "explicitDeny", "implicitDeny"
ME = "arn:aws:iam::123456789012:user/bob"
OTHER = "arn:aws:iam::123456789012:user/alice"
ABSENT: dict[str, Any] = {}
F = {"aws:MultiFactorAuthPresent": "false"}
T = {"aws:MultiFactorAuthPresent": "true"}


def S(effect: str = "Allow", action: Any = "*", resource: Any = "*", cond: dict | None = None, **kw: Any) -> dict:
    st: dict[str, Any] = {"Effect": effect}
    st["NotAction" if kw.pop("not_action", False) else "Action"] = action
    st["NotResource" if kw.pop("not_resource", False) else "Resource"] = resource
    if cond:
        st["Condition"] = cond
    return st


def P(*stmts: dict, version: str | None = "2012-10-17") -> dict:
    doc: dict[str, Any] = {"Statement": list(stmts)}
    if version:
        doc["Version"] = version
    return doc


ALLOW_ALL = S()
DENY_NO_MFA = S("Deny", "ec2:*", cond={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})
DENY_NO_MFA_BOOL = S("Deny", "ec2:*", cond={"Bool": {"aws:MultiFactorAuthPresent": "false"}})
ALLOW_MFA = S("Allow", "ec2:*", cond={"Bool": {"aws:MultiFactorAuthPresent": "true"}})


def C(op: str, key: str, value: Any) -> dict:
    """An Allow-everything statement with one condition."""
    return P(S(cond={op: {key: value}}))


CASES: list[tuple[str, str, list, str, str, dict, str]] = [
    # --- the four MFA combinations (key absent / "false" / "true") x Bool / BoolIfExists --------------------
    ("mfa-ifexists-absent", U_MFA, [P(ALLOW_ALL, DENY_NO_MFA)], "ec2:DescribeVpcs", "*", ABSENT, E),
    ("mfa-ifexists-false", U_MFA, [P(ALLOW_ALL, DENY_NO_MFA)], "ec2:DescribeVpcs", "*", F, E),
    ("mfa-ifexists-true", U_MFA, [P(ALLOW_ALL, DENY_NO_MFA)], "ec2:DescribeVpcs", "*", T, A),
    ("mfa-bool-absent-slips", U_MFAKEY, [P(ALLOW_ALL, DENY_NO_MFA_BOOL)], "ec2:DescribeVpcs", "*", ABSENT, A),
    ("mfa-bool-false", U_MFAKEY, [P(ALLOW_ALL, DENY_NO_MFA_BOOL)], "ec2:DescribeVpcs", "*", F, E),
    ("mfa-bool-true", U_MFAKEY, [P(ALLOW_ALL, DENY_NO_MFA_BOOL)], "ec2:DescribeVpcs", "*", T, A),
    ("mfa-allow-bool-absent", U_MFAKEY, [P(ALLOW_MFA)], "ec2:RunInstances", "*", ABSENT, I),
    ("mfa-allow-bool-false", U_MFAKEY, [P(ALLOW_MFA)], "ec2:RunInstances", "*", F, I),
    ("mfa-allow-bool-true", U_MFAKEY, [P(ALLOW_MFA)], "ec2:RunInstances", "*", T, A),
    ("mfa-allow-ifexists-absent", U_IFX,
     [C("BoolIfExists", "aws:MultiFactorAuthPresent", "true")], "ec2:RunInstances", "*", ABSENT, A),
    ("mfa-age-absent", U_MFA, [C("NumericLessThan", "aws:MultiFactorAuthAge", "3600")], "ec2:StopInstances", "*",
     ABSENT, I),
    ("mfa-age-recent", U_MFA, [C("NumericLessThan", "aws:MultiFactorAuthAge", "3600")], "ec2:StopInstances", "*",
     {"aws:MultiFactorAuthAge": "300"}, A),
    ("mfa-age-old", U_MFA, [C("NumericLessThan", "aws:MultiFactorAuthAge", "3600")], "ec2:StopInstances", "*",
     {"aws:MultiFactorAuthAge": "7200"}, I),
    # --- NotAction / NotResource ---------------------------------------------------------------------------
    ("notaction-deny-listed", U_NOTACTION, [P(ALLOW_ALL, S("Deny", "iam:*", not_action=True))], "iam:GetUser",
     ME, ABSENT, A),
    ("notaction-deny-other", U_NOTACTION, [P(ALLOW_ALL, S("Deny", "iam:*", not_action=True))], "s3:GetObject",
     "arn:aws:s3:::b/k", ABSENT, E),
    ("notaction-case-insensitive", U_NOTACTION, [P(ALLOW_ALL, S("Deny", "IAM:getuser", not_action=True))],
     "iam:GetUser", ME, ABSENT, A),
    ("notaction-allow-other", U_NOTACTION, [P(S("Allow", "iam:*", not_action=True))], "ec2:RunInstances", "*",
     ABSENT, A),
    ("notaction-allow-listed", U_NOTACTION, [P(S("Allow", "iam:*", not_action=True))], "iam:CreateUser", ME,
     ABSENT, I),
    ("notresource-deny-other", U_NOTRES, [P(ALLOW_ALL, S("Deny", "s3:*", "arn:aws:s3:::mine/*",
                                                         not_resource=True))],
     "s3:GetObject", "arn:aws:s3:::other/k", ABSENT, E),
    ("notresource-deny-own", U_NOTRES, [P(ALLOW_ALL, S("Deny", "s3:*", "arn:aws:s3:::mine/*",
                                                       not_resource=True))],
     "s3:GetObject", "arn:aws:s3:::mine/k", ABSENT, A),
    ("notresource-allow-other", U_NOTRES, [P(S("Allow", "s3:*", "arn:aws:s3:::mine/*", not_resource=True))],
     "s3:GetObject", "arn:aws:s3:::other/k", ABSENT, A),
    ("notresource-allow-own", U_NOTRES, [P(S("Allow", "s3:*", "arn:aws:s3:::mine/*", not_resource=True))],
     "s3:GetObject", "arn:aws:s3:::mine/k", ABSENT, I),
    # --- Action element: case, globs -----------------------------------------------------------------------
    ("action-prefix-glob", U_ACTION, [P(S("Allow", "s3:Get*"))], "s3:GetObject", "*", ABSENT, A),
    ("action-case-insensitive", U_ACTION, [P(S("Allow", "s3:Get*"))], "S3:GETOBJECT", "*", ABSENT, A),
    ("action-infix-glob", U_ACTION, [P(S("Allow", "iam:*AccessKey*"))], "iam:ListAccessKeys", ME, ABSENT, A),
    ("action-question-one", U_ACTION, [P(S("Allow", "ec2:DescribeVpc?"))], "ec2:DescribeVpcs", "*", ABSENT, A),
    ("action-question-needs-one", U_ACTION, [P(S("Allow", "ec2:DescribeVpc?"))], "ec2:DescribeVpc", "*", ABSENT,
     I),
    ("action-star-everything", U_ACTION, [P(S("Allow", "*"))], "sts:GetCallerIdentity", "*", ABSENT, A),
    ("action-service-boundary", U_ACTION, [P(S("Allow", "s3:*"))], "s3express:CreateSession", "*", ABSENT, I),
    ("action-list", U_ACTION, [P(S("Allow", ["sqs:SendMessage", "sqs:ReceiveMessage"]))], "sqs:ReceiveMessage",
     "*", ABSENT, A),
    ("action-not-trimmed", U_ACTION, [P(S("Allow", "s3:GetObject"))], "s3:GetObject ", "*", ABSENT, I),
    # --- Resource element: case, globs across ':' and '/' --------------------------------------------------
    ("resource-case-sensitive", U_RES, [P(S("Allow", "s3:*", "arn:aws:s3:::MyBucket/*"))], "s3:GetObject",
     "arn:aws:s3:::mybucket/k", ABSENT, I),
    ("resource-star-spans-slash", U_RES, [P(S("Allow", "s3:*", "arn:aws:s3:::b/*"))], "s3:GetObject",
     "arn:aws:s3:::b/a/b/c", ABSENT, A),
    ("resource-star-spans-colon", U_RES, [P(S("Allow", "iam:*", "arn:aws:iam::*:user/*"))], "iam:GetUser",
     "arn:aws:iam::123456789012:user/path/bob", ABSENT, A),
    ("resource-question-one", U_RES, [P(S("Allow", "s3:*", "arn:aws:s3:::b/file?.txt"))], "s3:GetObject",
     "arn:aws:s3:::b/file1.txt", ABSENT, A),
    ("resource-question-not-two", U_RES, [P(S("Allow", "s3:*", "arn:aws:s3:::b/file?.txt"))], "s3:GetObject",
     "arn:aws:s3:::b/file10.txt", ABSENT, I),
    ("resource-question-slash", U_RES, [P(S("Allow", "s3:*", "arn:aws:s3:::b?c"))], "s3:GetObject",
     "arn:aws:s3:::b/c", ABSENT, A),
    ("resource-question-colon", U_RES, [P(S("Allow", "sns:*", "arn:aws:sns:us-east-1?123456789012:t"))],
     "sns:Publish", "arn:aws:sns:us-east-1:123456789012:t", ABSENT, A),
    ("resource-list-second", U_RES, [P(S("Allow", "s3:*", ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]))],
     "s3:GetObject", "arn:aws:s3:::b/k", ABSENT, A),
    # --- evaluation logic ---------------------------------------------------------------------------------
    ("logic-deny-overrides", U_LOGIC, [P(ALLOW_ALL, S("Deny", "s3:DeleteObject"))], "s3:DeleteObject", "*",
     ABSENT, E),
    ("logic-default-deny", U_LOGIC, [P(S("Allow", "s3:GetObject"))], "s3:PutObject", "*", ABSENT, I),
    ("logic-deny-other-policy", U_LOGIC, [P(ALLOW_ALL), P(S("Deny", "ec2:*"))], "ec2:RunInstances", "*", ABSENT,
     E),
    ("logic-single-statement-object", U_LOGIC, [{"Version": "2012-10-17", "Statement": S("Allow", "s3:*")}],
     "s3:ListBucket", "*", ABSENT, A),
    ("logic-no-policies", U_LOGIC, [], "s3:ListBucket", "*", ABSENT, I),
    # --- String operators ---------------------------------------------------------------------------------
    ("string-equals", U_OPS, [C("StringEquals", "aws:PrincipalTag/team", "blue")], "s3:GetObject", "*",
     {"aws:PrincipalTag/team": "blue"}, A),
    ("string-equals-case", U_OPS, [C("StringEquals", "aws:PrincipalTag/team", "blue")], "s3:GetObject", "*",
     {"aws:PrincipalTag/team": "Blue"}, I),
    ("string-equals-ignorecase", U_OPS, [C("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "blue")],
     "s3:GetObject", "*", {"aws:PrincipalTag/team": "BLUE"}, A),
    ("string-notequals-differs", U_OPS, [C("StringNotEquals", "aws:RequestedRegion", "us-east-1")],
     "ec2:RunInstances", "*", {"aws:RequestedRegion": "eu-west-1"}, A),
    ("string-notequals-absent", U_OPS, [C("StringNotEquals", "aws:RequestedRegion", "us-east-1")],
     "ec2:RunInstances", "*", ABSENT, A),
    ("string-equals-absent", U_OPS, [C("StringEquals", "aws:RequestedRegion", "us-east-1")],
     "ec2:RunInstances", "*", ABSENT, I),
    ("string-like-glob", U_OPS, [C("StringLike", "s3:prefix", "home/*")], "s3:ListBucket", "*",
     {"s3:prefix": "home/bob/x"}, A),
    ("string-like-miss", U_OPS, [C("StringLike", "s3:prefix", "home/*")], "s3:ListBucket", "*",
     {"s3:prefix": "tmp/x"}, I),
    ("string-notlike-absent", U_OPS, [C("StringNotLike", "s3:prefix", "home/*")], "s3:ListBucket", "*", ABSENT,
     A),
    ("string-equals-ifexists-absent", U_IFX, [C("StringEqualsIfExists", "ec2:InstanceType", "t3.micro")],
     "ec2:RunInstances", "*", ABSENT, A),
    ("string-equals-ifexists-present", U_IFX, [C("StringEqualsIfExists", "ec2:InstanceType", "t3.micro")],
     "ec2:RunInstances", "*", {"ec2:InstanceType": "m5.large"}, I),
    ("string-values-or", U_COND, [C("StringEquals", "aws:RequestedRegion", ["us-east-1", "eu-west-1"])],
     "ec2:RunInstances", "*", {"aws:RequestedRegion": "eu-west-1"}, A),
    ("keys-and", U_COND, [P(S(cond={"StringEquals": {"aws:RequestedRegion": "eu-west-1",
                                                     "aws:PrincipalTag/team": "blue"}}))],
     "ec2:RunInstances", "*", {"aws:RequestedRegion": "eu-west-1", "aws:PrincipalTag/team": "red"}, I),
    ("operators-and", U_COND, [P(S(cond={"StringEquals": {"aws:RequestedRegion": "eu-west-1"},
                                         "Bool": {"aws:SecureTransport": "true"}}))],
     "ec2:RunInstances", "*", {"aws:RequestedRegion": "eu-west-1", "aws:SecureTransport": "true"}, A),
    ("key-name-case-insensitive", U_COND, [C("Bool", "AWS:MultiFactorAuthPresent", "true")], "ec2:RunInstances",
     "*", {"aws:multifactorauthpresent": "true"}, A),
    # --- Numeric ------------------------------------------------------------------------------------------
    ("numeric-lt", U_OPS, [C("NumericLessThan", "s3:max-keys", "10")], "s3:ListBucket", "*",
     {"s3:max-keys": "5"}, A),
    ("numeric-absent", U_OPS, [C("NumericLessThan", "s3:max-keys", "10")], "s3:ListBucket", "*", ABSENT, I),
    ("numeric-notequals-absent", U_OPS, [C("NumericNotEquals", "s3:max-keys", "10")], "s3:ListBucket", "*",
     ABSENT, A),
    ("numeric-gte-equal", U_OPS, [C("NumericGreaterThanEquals", "s3:max-keys", "10")], "s3:ListBucket", "*",
     {"s3:max-keys": "10"}, A),
    ("numeric-not-a-number", U_OPS, [C("NumericEquals", "s3:max-keys", "10")], "s3:ListBucket", "*",
     {"s3:max-keys": "ten"}, I),
    # --- Date ---------------------------------------------------------------------------------------------
    ("date-gt", U_OPS, [C("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z")], "s3:GetObject", "*",
     {"aws:CurrentTime": "2024-05-01T12:00:00Z"}, A),
    ("date-epoch-policy", U_OPS, [C("DateLessThan", "aws:CurrentTime", "1577836800")], "s3:GetObject", "*",
     {"aws:CurrentTime": "2019-12-31T23:59:59Z"}, A),
    ("date-absent", U_OPS, [C("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z")], "s3:GetObject", "*",
     ABSENT, I),
    ("date-notequals-absent", U_OPS, [C("DateNotEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z")],
     "s3:GetObject", "*", ABSENT, A),
    # --- Binary / IP / ARN / Null -------------------------------------------------------------------------
    ("binary-equals", U_OPS, [C("BinaryEquals", "key", "QmluYXJ5VmFsdWVJbkJhc2U2NA==")], "s3:GetObject", "*",
     {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, A),
    ("binary-absent", U_OPS, [C("BinaryEquals", "key", "QmluYXJ5VmFsdWVJbkJhc2U2NA==")], "s3:GetObject", "*",
     ABSENT, I),
    ("ip-in-range", U_OPS, [C("IpAddress", "aws:SourceIp", "203.0.113.0/24")], "s3:GetObject", "*",
     {"aws:SourceIp": "203.0.113.7"}, A),
    ("notip-in-range", U_OPS, [C("NotIpAddress", "aws:SourceIp", "203.0.113.0/24")], "s3:GetObject", "*",
     {"aws:SourceIp": "203.0.113.7"}, I),
    ("notip-absent", U_OPS, [C("NotIpAddress", "aws:SourceIp", "203.0.113.0/24")], "s3:GetObject", "*", ABSENT,
     A),
    ("ip-absent", U_OPS, [C("IpAddress", "aws:SourceIp", "203.0.113.0/24")], "s3:GetObject", "*", ABSENT, I),
    ("ipv6", U_OPS, [C("IpAddress", "aws:SourceIp", "2001:DB8:1234:5678::/64")], "s3:GetObject", "*",
     {"aws:SourceIp": "2001:db8:1234:5678::1"}, A),
    ("arn-like-components", U_OPS, [C("ArnLike", "aws:SourceArn", "arn:aws:sns:*:123456789012:topic-*")],
     "sqs:SendMessage", "*", {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic-a"}, A),
    ("arn-like-component-bound", U_OPS, [C("ArnLike", "aws:SourceArn", "arn:aws:sns:*:123456789012:t")],
     "sqs:SendMessage", "*", {"aws:SourceArn": "arn:aws:sns:us-east-1:999:123456789012:t"}, I),
    ("arn-equals-absent", U_OPS, [C("ArnEquals", "aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t")],
     "sqs:SendMessage", "*", ABSENT, I),
    ("arn-notlike-absent", U_OPS, [C("ArnNotLike", "aws:SourceArn", "arn:aws:sns:*:*:t")], "sqs:SendMessage",
     "*", ABSENT, A),
    ("null-true-absent", U_NULL, [C("Null", "aws:TokenIssueTime", "true")], "s3:GetObject", "*", ABSENT, A),
    ("null-true-present", U_NULL, [C("Null", "aws:TokenIssueTime", "true")], "s3:GetObject", "*",
     {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}, I),
    ("null-false-present", U_NULL, [C("Null", "aws:TokenIssueTime", "false")], "s3:GetObject", "*",
     {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}, A),
    # --- set operators ------------------------------------------------------------------------------------
    ("anyvalue-one", U_MULTI, [C("ForAnyValue:StringEquals", "aws:TagKeys", ["env", "team"])],
     "ec2:CreateTags", "*", {"aws:TagKeys": ["env", "cost"]}, A),
    ("anyvalue-absent", U_MULTI, [C("ForAnyValue:StringEquals", "aws:TagKeys", ["env"])], "ec2:CreateTags", "*",
     ABSENT, I),
    ("anyvalue-empty", U_MULTI, [C("ForAnyValue:StringEquals", "aws:TagKeys", ["env"])], "ec2:CreateTags", "*",
     {"aws:TagKeys": []}, I),
    ("allvalues-all", U_MULTI, [C("ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"])],
     "ec2:CreateTags", "*", {"aws:TagKeys": ["env", "team"]}, A),
    ("allvalues-one-outside", U_MULTI, [C("ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"])],
     "ec2:CreateTags", "*", {"aws:TagKeys": ["env", "cost"]}, I),
    ("allvalues-absent", U_MULTI, [C("ForAllValues:StringEquals", "aws:TagKeys", ["env"])], "ec2:CreateTags",
     "*", ABSENT, A),
    ("allvalues-empty", U_MULTI, [C("ForAllValues:StringEquals", "aws:TagKeys", ["env"])], "ec2:CreateTags",
     "*", {"aws:TagKeys": []}, A),
    ("single-op-multivalued-key", U_MULTI, [C("StringEquals", "aws:TagKeys", "env")], "ec2:CreateTags", "*",
     {"aws:TagKeys": ["env"]}, I),
    ("allvalues-like", U_MULTI, [C("ForAllValues:StringLike", "aws:TagKeys", "cost-*")], "ec2:CreateTags", "*",
     {"aws:TagKeys": ["cost-a", "cost-b"]}, A),
    # --- policy variables ---------------------------------------------------------------------------------
    ("var-own", U_VARS, [P(S("Allow", "iam:*", "arn:aws:iam::*:user/${aws:username}"))], "iam:GetUser", ME,
     {"aws:username": "bob"}, A),
    ("var-other", U_VARS, [P(S("Allow", "iam:*", "arn:aws:iam::*:user/${aws:username}"))], "iam:GetUser", OTHER,
     {"aws:username": "bob"}, I),
    ("var-absent", U_VARS, [P(S("Allow", "iam:*", "arn:aws:iam::*:user/${aws:username}"))], "iam:GetUser", ME,
     ABSENT, I),
    ("var-default", U_VARS, [P(S("Allow", "iam:*", "arn:aws:iam::*:user/${aws:username, 'bob'}"))],
     "iam:GetUser", ME, ABSENT, A),
    ("var-old-version-literal", U_VERSION,
     [P(S("Allow", "iam:*", "arn:aws:iam::*:user/${aws:username}"), version="2008-10-17")], "iam:GetUser", ME,
     {"aws:username": "bob"}, I),
    ("var-old-version-matches-literal", U_VERSION,
     [P(S("Allow", "iam:*", "arn:aws:iam::*:user/${aws:username}"), version="2008-10-17")], "iam:GetUser",
     "arn:aws:iam::123456789012:user/${aws:username}", {"aws:username": "bob"}, A),
    ("var-no-version-literal", U_VERSION,
     [P(S("Allow", "iam:*", "arn:aws:iam::*:user/${aws:username}"), version=None)], "iam:GetUser", ME,
     {"aws:username": "bob"}, I),
    ("var-escape-star", U_VARS, [P(S("Allow", "s3:*", "arn:aws:s3:::b/${*}"))], "s3:GetObject",
     "arn:aws:s3:::b/*", ABSENT, A),
    ("var-escape-star-literal", U_VARS, [P(S("Allow", "s3:*", "arn:aws:s3:::b/${*}"))], "s3:GetObject",
     "arn:aws:s3:::b/x", ABSENT, I),
    ("var-escape-question", U_VARS, [P(S("Allow", "s3:*", "arn:aws:s3:::b/${?}"))], "s3:GetObject",
     "arn:aws:s3:::b/x", ABSENT, I),
    ("var-escape-dollar", U_VARS, [P(S("Allow", "s3:*", "arn:aws:s3:::b/${$}x"))], "s3:GetObject",
     "arn:aws:s3:::b/$x", ABSENT, A),
    ("var-in-condition", U_VARS, [C("StringLike", "s3:prefix", "home/${aws:username}/*")], "s3:ListBucket", "*",
     {"s3:prefix": "home/bob/docs", "aws:username": "bob"}, A),
    ("var-in-condition-other", U_VARS, [C("StringLike", "s3:prefix", "home/${aws:username}/*")], "s3:ListBucket",
     "*", {"s3:prefix": "home/alice/docs", "aws:username": "bob"}, I),
    ("var-value-is-literal", U_VARS, [P(S("Allow", "iam:*", "arn:aws:iam::*:user/${aws:username}"))],
     "iam:GetUser", ME, {"aws:username": "*"}, I),
    ("var-unresolved-notresource-ignored", U_VARS,
     [P(ALLOW_ALL, S("Deny", "s3:*", "arn:aws:s3:::home/${aws:username}/*", not_resource=True))],
     "s3:GetObject", "arn:aws:s3:::other/k", ABSENT, A),
    ("var-resolved-notresource-denies", U_VARS,
     [P(ALLOW_ALL, S("Deny", "s3:*", "arn:aws:s3:::home/${aws:username}/*", not_resource=True))],
     "s3:GetObject", "arn:aws:s3:::other/k", {"aws:username": "bob"}, E),
    # --- the AWS example itself ---------------------------------------------------------------------------
    ("example-getuser-without-mfa", U_EXAMPLE, "AWS", "iam:GetUser", ME, {"aws:username": "bob", **F}, A),
    ("example-listusers-without-mfa", U_EXAMPLE, "AWS", "iam:ListUsers", "*", {"aws:username": "bob", **F}, E),
    ("example-changepassword-without-mfa", U_EXAMPLE, "AWS", "iam:ChangePassword", ME,
     {"aws:username": "bob", **F}, E),
    ("example-changepassword-with-mfa", U_EXAMPLE, "AWS", "iam:ChangePassword", ME, {"aws:username": "bob", **T},
     A),
    ("example-other-users-keys", U_EXAMPLE, "AWS", "iam:CreateAccessKey", OTHER, {"aws:username": "bob", **T}, I),
    ("example-access-key-no-mfa-key", U_EXAMPLE, "AWS", "iam:CreateAccessKey", ME, {"aws:username": "bob"}, E),
]


@pytest.mark.parametrize("name,url,policies,action,resource,context,expected", CASES,
                         ids=[c[0] for c in CASES])
def test_documented_case(name: str, url: str, policies: Any, action: str, resource: str, context: dict,
                         expected: str) -> None:
    assert url.startswith(G)
    if policies == "AWS":
        from mfakit.aws.policygen import forced_mfa_policy

        policies = [("forced-mfa", forced_mfa_policy("aws"))]
    res = evaluate(policies, action, resource, context or None)
    assert res.decision == expected, "\n".join(res.explain())
    # the explanation agrees with the decision
    effects = {m.effect for m in res.matched}
    assert ("Deny" in effects) == (expected == E)
    assert (expected == A) == (effects == {"Allow"})


def test_enough_documented_cases() -> None:
    assert len(CASES) >= 60
    assert len({c[0] for c in CASES}) == len(CASES)


def test_context_is_not_modified() -> None:
    ctx = {"aws:MultiFactorAuthPresent": "false"}
    res = evaluate([P(ALLOW_ALL, DENY_NO_MFA)], "ec2:DescribeVpcs", "*", ctx)
    res.explain()
    assert ctx == {"aws:MultiFactorAuthPresent": "false"}
