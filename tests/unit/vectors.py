# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""WIRE.md section D: requests as the official SDKs signed them, shared by the signer and emulator tests."""

from __future__ import annotations

ALIBABA_AK = "LTAI5tTESTACCESSKEYID"
ALIBABA_SK = "TestAccessKeySecret0123456789abcdef"
D1_QUERY = ("Filter=foo%20bar&Label=%7B%22app%22%3A%22demo%22%2C%22env%22%3A%22%E7%94%9F%E4%BA%A7%22%7D&Order=asc"
            "&PageNumber=1&PageSize=50&ServiceName=%C3%BCn%C3%AF-%E6%9C%8D%E5%8A%A1%20test&ServiceStatus=Running"
            "&Sort=CreateTime&WorkspaceId=1234")
D1_HEADERS = {
    "accept": "application/json",
    "host": "pai-eas.cn-hangzhou.aliyuncs.com",
    "user-agent": "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
    "x-acs-action": "ListServices",
    "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "x-acs-credentials-provider": "static_ak",
    "x-acs-date": "2024-01-02T03:04:05Z",
    "x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
    "x-acs-version": "2021-07-01",
}
D1_SIGNATURE = "d1b4b94c0a6280598c561bfe467053acdda8fc4425d672ca6e4794327f9c092b"
D2_TOKEN = "CAIS-test-security-token=="
D2_HEADERS = dict(D1_HEADERS, **{"x-acs-credentials-provider": "static_sts", "x-acs-accesskey-id": ALIBABA_AK,
                                 "x-acs-security-token": D2_TOKEN})
D2_SIGNATURE = "76809fcc8360b4811a6dd8b76a50f9118df7e1e3e6a3d02f10b456d9c8f44304"
