# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP for every provider: one ``requests.Session``, timeouts, TLS, retries, error mapping.

Private to modelserving.cloud: this module may change without notice.

Retry policy, for every call made through a :class:`Transport` (list and describe calls, and the authentication
calls - IAM tokens, STS, agencies, instance metadata - which may be sent again without harm):

* retried: connection errors and resets, timeouts, HTTP 429 and 5xx, replies that are not JSON or are cut short,
  and the provider's own throttling codes (``ProviderSpec.retry_codes``, e.g. PAI-EAS ``Throttling.User``,
  which comes as HTTP 400);
* never retried: other 4xx replies, authentication and signature errors, TLS verification failures, and a host name
  that does not resolve (a mistyped region or endpoint: retrying cannot help);
* at most ``max_retries`` retries; each waits a random time between 0 and ``min(cap, base * 2**attempt)`` (capped
  exponential backoff with full jitter), and never less than the server asked for in ``Retry-After`` (seconds) or
  ``x-acs-retry-after`` (milliseconds); a request is signed anew for every attempt (fresh date and nonce);
* an endpoint that does not answer is waited for ``connect_timeout`` to connect and ``timeout`` for each reply, and
  retried at most ``TIMEOUT_RETRIES`` times: with the defaults a silent endpoint fails within a minute, saying how
  long it waited and how often;
* ``deadline`` bounds everything one transport does (a whole listing): no attempt starts, and no wait ends, after it;
* a call that is not idempotent (``CallContext.idempotent`` false: creating, starting, stopping, restarting or
  deleting a service) is retried only when the server cannot have carried it out - the connection timed out, or it
  throttled the call - never after a reply timeout, a reset or a 5xx, which would risk doing it twice; the error then
  says so and has ``maybe_done`` set.
"""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
import typing as t
import warnings
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ansible_collections.modelserving.cloud.plugins.module_utils.errors import ApiError, AuthError
from ansible_collections.modelserving.cloud.plugins.module_utils.requirements import require
from ansible_collections.modelserving.cloud.plugins.module_utils.spec import encode_value

# requests and urllib3, imported when the first transport is made (:func:`_import_http`): an inventory read from its
# cache sends nothing, and does not spend their import.
requests: t.Any = None
HTTPAdapter: t.Any = None
InsecureRequestWarning: t.Any = None


def _import_http() -> None:
    global requests, HTTPAdapter, InsecureRequestWarning  # pylint: disable=global-statement
    require("requests")  # says, in one line, how to install it, before anything is sent
    if requests is None:
        import requests as http  # pylint: disable=import-outside-toplevel
        from requests.adapters import HTTPAdapter as adapter  # pylint: disable=import-outside-toplevel
        from urllib3.exceptions import InsecureRequestWarning as insecure  # pylint: disable=import-outside-toplevel
        requests, HTTPAdapter, InsecureRequestWarning = http, adapter, insecure


COLLECTION_VERSION = "0.1.0"
USER_AGENT = "modelserving.cloud/%s (Ansible collection)" % COLLECTION_VERSION
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
TIMEOUT_RETRIES = 2
MAX_SERVER_WAIT = 60.0
SNIPPET = 160


class Signer(t.Protocol):
    """Adds authentication headers to a request, anew for every attempt."""

    # The project the credentials work in, for API paths that name it (Huawei); None where no path needs one.
    project_id: str | None

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        ...  # pragma: no cover


class ErrorReader(t.Protocol):
    """Reads ``(code, message, request_id)`` from a provider's error reply."""

    def __call__(self, status: int, headers: t.Mapping[str, str], data: t.Any) -> tuple[str | None, str, str | None]:
        ...  # pragma: no cover


@dataclass(frozen=True)
class CallContext:
    """Where a call goes, for error messages and retry decisions."""

    provider: str
    region: str | None
    operation: str
    retry_codes: frozenset[str]
    auth_codes: frozenset[str]
    read_error: ErrorReader
    auth_hint: str = ""
    # The query holds a credential (a signature, a security token, an OIDC token): logs show the path only.
    secret_query: bool = False
    # The reply is text (an instance metadata service's token or role name), not a JSON object.
    text_reply: bool = False
    # The call may be sent twice without harm (reads, and writes that set a state); see the retry policy.
    idempotent: bool = True


@dataclass
class Reply:
    """A successful reply, parsed."""

    status: int
    headers: t.Mapping[str, str]
    data: t.Any


class _Retry(Exception):
    """Internal: this attempt failed in a way worth another try; ``silent`` when the endpoint did not answer,
    ``unsent`` when the server cannot have carried the call out (no connection, throttled)."""

    def __init__(self, error: ApiError, wait: float = 0.0, silent: bool = False, unsent: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait
        self.silent = silent
        self.unsent = unsent


def unresolvable(exc: BaseException) -> bool:
    """Whether a connection error comes from a host name that does not resolve (whatever urllib3 wrapped it in)."""
    seen: set[int] = set()
    stack: list[t.Any] = [exc]
    while stack:
        error = stack.pop()
        if not isinstance(error, BaseException) or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, socket.gaierror) or type(error).__name__ == "NameResolutionError":
            return True
        stack.extend([error.__cause__, error.__context__, getattr(error, "reason", None)] + list(error.args))
    return False


def url_of(endpoint: str) -> str:
    """``scheme://host[:port]`` of an endpoint option, which takes a URL or a bare host (then HTTPS)."""
    endpoint = str(endpoint).rstrip("/")
    return endpoint if "://" in endpoint else "https://" + endpoint


class Unsigned:
    """The signer of calls that carry no signature header: a password token request, a query that signs itself (STS),
    an instance metadata service. ``headers`` go into every attempt as given."""

    project_id = None

    def __init__(self, headers: t.Mapping[str, str] | None = None) -> None:
        self.headers = dict(headers or {})

    def sign(self, method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        headers.update(self.headers)


UNSIGNED = Unsigned()
_QUIET_HOSTS: set[str] = set()
_QUIET_LOCK = threading.Lock()


def quiet_unverified(host: str) -> None:
    """Silence urllib3's "Unverified HTTPS request" warning for ``host`` alone, whose certificate the user chose not
    to verify (the faces warn once, in the collection's words): other hosts, and other plugins' requests to them,
    keep theirs."""
    _import_http()
    with _QUIET_LOCK:
        if host in _QUIET_HOSTS:
            return
        _QUIET_HOSTS.add(host)
        warnings.filterwarnings("ignore", message="Unverified HTTPS request is being made to host '%s'" % re.escape(
            host), category=InsecureRequestWarning)


def canonical_query(params: t.Mapping[str, t.Any]) -> str:
    """Return the query string that both signers sign and the wire carries.

    Pairs are sorted by key, then value (a list gives one pair per value); keys and values are percent-encoded in
    UTF-8 keeping only ``~`` (docs/docsite/rst/wire.rst A.3 step 5 and B.4 step 6, which agree).
    """
    pairs = []
    for key, value in params.items():
        for one in (value if isinstance(value, list) else [value]):
            pairs.append((str(key), encode_value(one)))
    return "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in sorted(pairs))


def server_wait(headers: t.Mapping[str, str]) -> float:
    """Return how long the server asked us to wait, in seconds (0 when it did not say)."""
    value = headers.get("x-acs-retry-after")
    try:
        if value is not None and float(value) > 0:
            return min(float(value) / 1000.0, MAX_SERVER_WAIT)
    except ValueError:
        pass
    value = headers.get("Retry-After")
    try:
        if value is not None:
            return min(max(float(value), 0.0), MAX_SERVER_WAIT)
    except ValueError:
        pass  # an HTTP-date: rare for APIs; the backoff covers it
    return 0.0


def snippet(body: bytes) -> str:
    """Return the first bytes of a body, printable, for an error message."""
    text = body[:SNIPPET].decode("utf-8", "replace")
    return repr(text + ("..." if len(body) > SNIPPET else ""))


class Transport:
    """Sends signed requests on one session, with the retry policy of this module.

    :param timeout: seconds to wait for each reply.
    :param connect_timeout: seconds to wait for a connection.
    :param deadline: seconds after which nothing more is tried (None: no bound).
    :param validate_certs: verify TLS certificates.
    :param ca_path: a CA bundle to verify against instead of the system's.
    :param max_retries: retries after the first attempt.
    :param pool_size: connections kept per host (the paging concurrency).
    :param log: called with one line per attempt (method, URL, status, time).
    :param use_env_proxies: honour HTTPS_PROXY and NO_PROXY (not for an instance metadata service).
    """

    def __init__(
        self,
        *,
        timeout: float = 15,
        connect_timeout: float = 5,
        deadline: float | None = None,
        validate_certs: bool = True,
        ca_path: str | None = None,
        max_retries: int = 5,
        pool_size: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 20.0,
        log: t.Callable[[str], None] | None = None,
        sleep: t.Callable[[float], None] = time.sleep,
        use_env_proxies: bool = True,
    ) -> None:
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.deadline_seconds = deadline
        self.deadline = time.monotonic() + deadline if deadline else None
        self.max_retries = max(0, max_retries)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.log = log
        self.sleep = sleep
        _import_http()
        self.session = requests.Session()
        # The environment is read here, once: its proxies (never for a link-local metadata service). Not through
        # requests' trust_env, which reads them again for every request, and a ~/.netrc entry too, whose password
        # would replace the Authorization header a signature is.
        self.session.trust_env = False
        self.use_env_proxies = use_env_proxies
        self._proxies: dict[str, dict[str, str]] = {}
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(pool_size, 1))
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.verify = ca_path if (ca_path and validate_certs) else validate_certs
        self.validate_certs = validate_certs
        self.session.headers["User-Agent"] = USER_AGENT
        self._lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def proxies(self, base_url: str) -> dict[str, str]:
        """The proxies the environment gives for ``base_url`` (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as requests reads
        them; none without ``use_env_proxies``."""
        found = self._proxies.get(base_url)
        if found is None:
            found = self._proxies[base_url] = requests.utils.get_environ_proxies(
                base_url) if self.use_env_proxies else {}
        return found

    def request(self, ctx: CallContext, method: str, base_url: str, path: str,
                query: str | t.Callable[[], str], signer: Signer, body: bytes = b"",
                headers: dict[str, str] | None = None) -> Reply:
        """Send one API call, retrying as the policy says; return the parsed reply or raise :class:`ApiError`.

        :param query: the query string, or a function that makes it anew for each attempt (a query that carries
            its own signature, nonce and time).
        """
        attempt = silent = 0
        started = time.monotonic()
        if self.deadline is not None and started >= self.deadline:
            raise self._error(ctx, ApiError, "the deadline of %g s was reached before every request was made" % (
                self.deadline_seconds), hint="Raise deadline, or narrow the listing with filters")
        while True:
            try:
                return self._attempt(ctx, method, base_url, path, query, signer, attempt, body, headers or {})
            except _Retry as retry:
                if not (ctx.idempotent or retry.unsent):
                    retry.error.message += (" (not retried: the call may have been carried out; read the service "
                                            "before sending it again)")
                    retry.error.maybe_done = True
                    raise retry.error from None
                silent += retry.silent
                ceiling = min(self.backoff_cap, self.backoff_base * (2 ** attempt))
                wait = max(random.uniform(0, ceiling), retry.wait)  # nosec B311 - jitter, not crypto
                late = self.deadline is not None and time.monotonic() + wait >= self.deadline
                if attempt >= self.max_retries or silent > TIMEOUT_RETRIES or late:
                    retry.error.message += self._gave_up(attempt, silent, time.monotonic() - started, late)
                    raise retry.error from None
                self.sleep(wait)
                attempt += 1

    def _gave_up(self, attempt: int, silent: int, spent: float, late: bool) -> str:
        """Say why a request was given up: how often it was tried, how long that took, and which bound it met."""
        tries = "%d attempt%s" % (attempt + 1, "s" if attempt else "")
        if late:
            return " (gave up after %s in %.0f s: the deadline of %s s is reached)" % (
                tries, spent, "%g" % self.deadline_seconds)
        if silent > TIMEOUT_RETRIES:
            return " (gave up after %s in %.0f s, %d of them without a reply)" % (tries, spent, silent)
        return " (gave up after %s)" % tries if attempt else " (max_retries is 0: no retry)"

    def _attempt(self, ctx: CallContext, method: str, base_url: str, path: str,
                 query: str | t.Callable[[], str], signer: Signer, attempt: int, body: bytes,
                 extra: dict[str, str]) -> Reply:
        if callable(query):
            query = query()
        url = base_url + path + ("?" + query if query else "")
        shown = base_url + path + "?(query not shown: it holds a credential)" if ctx.secret_query else url
        host = base_url.split("://", 1)[-1]
        if not self.validate_certs:
            quiet_unverified(urlsplit(base_url).hostname or host)
        headers = {"host": host, "user-agent": USER_AGENT, "accept": "application/json"}
        headers.update(extra)
        signer.sign(method, host, path, query, headers, body)
        prepared = self.session.prepare_request(requests.Request(method, url, headers=headers, data=body or None))
        prepared.url = url  # sent exactly as signed, never re-quoted
        started = time.monotonic()
        read_timeout = self.timeout
        if self.deadline is not None:
            read_timeout = max(min(read_timeout, self.deadline - started), 0.001)
        try:
            response = self.session.send(prepared, timeout=(self.connect_timeout, read_timeout),
                                         allow_redirects=False, proxies=self.proxies(base_url))
            body = response.content
        except requests.exceptions.SSLError as exc:
            raise self._error(ctx, ApiError, "TLS verification failed for %s: %s" % (host, exc.__class__.__name__),
                              hint="Give the CA bundle in ca_path, or set validate_certs to false for a "
                                   "test endpoint") from None
        except requests.exceptions.ConnectTimeout:
            self._log(method, shown, "connect timeout", started, attempt)
            raise _Retry(self._error(ctx, ApiError, "could not connect to %s within %s s" % (
                host, self.connect_timeout), hint="Check the endpoint, the network and any proxy settings, or raise "
                                                  "connect_timeout"), silent=True, unsent=True) from None
        except requests.exceptions.Timeout:
            self._log(method, shown, "timeout", started, attempt)
            raise _Retry(self._error(ctx, ApiError, "no reply from %s within %s s" % (host, read_timeout),
                                     hint="Check the endpoint and the network, or raise timeout"),
                         silent=True) from None
        except requests.exceptions.RequestException as exc:
            self._log(method, shown, "connection error", started, attempt)
            if unresolvable(exc):
                raise self._error(ctx, ApiError, "the host name %s does not resolve" % host.rsplit(":", 1)[0],
                                  hint="Check the region (and endpoint, if set): a region ID the provider does not "
                                       "have gives a host name that does not exist") from None
            raise _Retry(self._error(ctx, ApiError, "cannot reach %s: %s" % (host, exc.__class__.__name__),
                                     hint="Check the endpoint, the region and any proxy settings")) from None
        self._log(method, shown, str(response.status_code), started, attempt)
        return self._read(ctx, response.status_code, response.headers, body)

    def _read(self, ctx: CallContext, status: int, headers: t.Mapping[str, str], body: bytes) -> Reply:
        try:
            data = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            data = None
            parsed = False
        else:
            parsed = True
        if 200 <= status < 300:
            if ctx.text_reply:
                return Reply(status, headers, body.decode("utf-8", "replace"))
            if parsed and isinstance(data, dict):
                return Reply(status, headers, data)
            error = self._error(ctx, ApiError, "the reply is not a JSON object (HTTP %d, %s, %d bytes): %s" % (
                status, headers.get("Content-Type", "no content type"), len(body), snippet(body)), status=status,
                hint="A proxy or gateway may be in the way; check the endpoint")
            raise _Retry(error)
        code, message, request_id = ctx.read_error(status, headers, data if parsed else None)
        if not parsed:
            message = "HTTP %d with a body that is not JSON: %s" % (status, snippet(body))
        cls = AuthError if (status in (401, 403) or (code in ctx.auth_codes)) else ApiError
        error = self._error(ctx, cls, message, status=status, code=code, request_id=request_id,
                            hint=ctx.auth_hint if cls is AuthError else None)
        if status in RETRY_STATUSES or (code in ctx.retry_codes):
            throttled = status == 429 or (code in ctx.retry_codes and "hrottl" in "%s %s" % (code, message))
            if throttled:
                error.hint = error.hint or ("The API kept throttling: lower concurrency, or raise max_retries or "
                                            "deadline")
            raise _Retry(error, server_wait(headers), unsent=throttled)
        raise error

    @staticmethod
    def _error(ctx: CallContext, cls: type[ApiError], message: str, **kwargs: t.Any) -> ApiError:
        return cls(message, provider=ctx.provider, region=ctx.region, operation=ctx.operation, **kwargs)

    def _log(self, method: str, url: str, outcome: str, started: float, attempt: int) -> None:
        if self.log is not None:
            with self._lock:
                self.log("%s %s -> %s in %.3f s (attempt %d)" % (
                    method, url, outcome, time.monotonic() - started, attempt + 1))
