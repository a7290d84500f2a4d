# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Page iteration: every record exactly once, in API order.

Private to modelserving.cloud: this module may change without notice.

The first page is read alone. When it gives the total, the remaining pages are read concurrently (bounded by
``concurrency``) and put back in order; otherwise pages are read one by one until a short or empty page. Records are
de-duplicated by id (first occurrence wins). When the pages disagree on the total, the fleet changed while it was
being read and records may have shifted across a page boundary, so the whole list is read again (up to
``MAX_PASSES`` times); if it never settles, the union is returned with a warning, never silently.

The ``offset_probe`` style is for ModelArts, whose documents call ``offset`` a page while other clients treat it as
a record offset (docs/docsite/rst/wire.rst B.3): when more than one page is needed, ``offset=1`` is read next; if
that page starts with the first page's second record, offsets count records, otherwise pages (and the probe is
page 1).
"""

from __future__ import annotations

import math
import threading
import typing as t
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field

MAX_PASSES = 3
T = t.TypeVar("T")
R = t.TypeVar("R")


def run_all(fn: t.Callable[[T], R], args: t.Iterable[T], *, executor: Executor | None = None,
            concurrency: int = 1) -> list[R]:
    """Return ``[fn(arg) for arg in args]``, computed concurrently on ``executor`` (or a pool of ``concurrency``).

    The calling thread takes part: it runs every call that no worker has started yet, and waits only for calls that
    are running. So a job that itself runs in ``executor`` (an inventory source) can spread its pages over the same
    pool without ever waiting for work queued behind it: one bounded pool serves sources, regions and pages alike.
    The first exception raised by a call is raised here; calls not yet started are then skipped.
    """
    args = list(args)
    if executor is None:
        if concurrency <= 1 or len(args) <= 1:
            return [fn(arg) for arg in args]
        with ThreadPoolExecutor(max_workers=min(concurrency, len(args))) as pool:
            return run_all(fn, args, executor=pool)
    claims = [threading.Lock() for arg in args]

    def claimed(index: int) -> tuple[bool, t.Any]:
        if not claims[index].acquire(blocking=False):
            return False, None  # the caller ran it, or gave up
        return True, fn(args[index])

    futures: list[Future[tuple[bool, t.Any]]] = [executor.submit(claimed, index) for index in range(len(args))]
    results: list[t.Any] = [None] * len(args)
    try:
        for index, arg in enumerate(args):
            if claims[index].acquire(blocking=False):
                futures[index].cancel()
                results[index] = fn(arg)
        for index, future in enumerate(futures):
            if not future.cancelled():
                ran, value = future.result()
                if ran:
                    results[index] = value
    except BaseException:
        for lock in claims:
            lock.acquire(blocking=False)
        raise
    return results


@dataclass
class Page:
    """One page as the provider returned it."""

    items: list[dict[str, t.Any]]
    total: int | None
    request_id: str | None


@dataclass
class PagedItems:
    """Every record of a listing, with what the API said about it."""

    items: list[dict[str, t.Any]]
    total: int | None
    request_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    passes: int = 1


FetchPage = t.Callable[[int, int], Page]
Fetch = t.Callable[[t.Dict[str, int]], Page]


def list_all(fetch: FetchPage, *, size: int, concurrency: int, id_of: t.Callable[[dict[str, t.Any]], t.Any],
             max_results: int | None = None, first: Page | None = None, executor: Executor | None = None) -> PagedItems:
    """Read every page through ``fetch(page_index, size)`` and return the records exactly once.

    :param fetch: reads the zero-based page ``page_index`` of ``size`` records.
    :param size: the page size.
    :param concurrency: how many pages may be read at once.
    :param id_of: returns a record's unique id.
    :param max_results: stop once this many records are collected.
    :param first: page 0, when the caller has read it already (used in the first pass only).
    :param executor: a pool shared with other listings (the inventory's); else one of ``concurrency`` threads.
        The calling thread may run in it (see :func:`run_all`).
    :returns: the records in API order, the API's total and the request ids of every page read.
    """
    request_ids: list[str] = []
    for attempt in range(1, MAX_PASSES + 1):
        pages = _read_pages(fetch, size, concurrency, max_results, first if attempt == 1 else None, executor)
        request_ids.extend(p.request_id for p in pages if p.request_id)
        items = _unique(pages, id_of)
        totals = {p.total for p in pages if p.total is not None}
        if len(totals) <= 1:
            total = totals.pop() if totals else None
            listing = PagedItems(items, total, request_ids, passes=attempt)
            if total is not None and max_results is None and len(items) < total:
                listing.warnings.append(
                    "The API reported %d records but returned %d distinct ones." % (total, len(items)))
            break
    else:
        listing = PagedItems(items, pages[-1].total, request_ids, passes=MAX_PASSES)
        listing.warnings.append("The list kept changing while it was read (%d passes); the result may miss "
                                "records added or removed meanwhile." % MAX_PASSES)
    if max_results is not None:
        del listing.items[max_results:]
    return listing


def _read_pages(fetch: FetchPage, size: int, concurrency: int, max_results: int | None,
                first: Page | None, executor: Executor | None) -> list[Page]:
    first = first or fetch(0, size)
    pages = [first]
    wanted = max_results if max_results is not None else math.inf
    if first.total is not None:
        count = math.ceil(first.total / size)
        if max_results is not None:
            count = min(count, math.ceil(max_results / size))
        pages.extend(run_all(lambda index: fetch(index, size), range(1, count), executor=executor,
                             concurrency=concurrency))
        return pages
    index, seen = 0, len(first.items)
    while len(pages[-1].items) >= size and seen < wanted:
        index += 1
        pages.append(fetch(index, size))
        seen += len(pages[-1].items)
    return pages


def _unique(pages: list[Page], id_of: t.Callable[[dict[str, t.Any]], t.Any]) -> list[dict[str, t.Any]]:
    seen: set[t.Any] = set()
    items = []
    for page in pages:
        for item in page.items:
            key = id_of(item)
            if key not in seen:
                seen.add(key)
                items.append(item)
    return items


def list_pages(fetch: Fetch, paging: t.Any, *, size: int, concurrency: int,
               id_of: t.Callable[[dict[str, t.Any]], t.Any], max_results: int | None = None,
               log: t.Callable[[str], None] | None = None, executor: Executor | None = None) -> PagedItems:
    """Read every page of a list API declared by ``paging`` (a ``spec.Paging``) through ``fetch(wire_params)``.

    Works out what ``offset`` counts first when the style is ``offset_probe`` (see the module docstring).
    """
    style = paging.style
    first = None
    if style == "offset_probe":
        first = fetch({paging.index_param: 0, paging.size_param: size})
        style = "offset"
        more = first.total is not None and first.total > len(first.items)
        if more and len(first.items) > 1 and (max_results is None or max_results > len(first.items)):
            probe = fetch({paging.index_param: 1, paging.size_param: size})
            counts_records = bool(probe.items) and id_of(probe.items[0]) == id_of(first.items[1])
            style = "offset" if counts_records else "page_index"
            if log:
                log("%s counts %s" % (paging.index_param, "records" if counts_records else "pages"))

    def by_index(index: int, page_size: int) -> Page:
        if style == "offset":
            value = index * page_size
        elif style == "page_index":
            value = index
        else:
            value = index + paging.first
        return fetch({paging.index_param: value, paging.size_param: page_size})

    return list_all(by_index, size=size, concurrency=concurrency, id_of=id_of, max_results=max_results, first=first,
                    executor=executor)
