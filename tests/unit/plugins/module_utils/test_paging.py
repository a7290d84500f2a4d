# -*- coding: utf-8 -*-
# Copyright (c) modelserving.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Paging: every record exactly once, in order, whatever happens between pages."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ansible_collections.modelserving.cloud.plugins.module_utils.paging import Page, list_all, list_pages, run_all


class Fleet:
    """A list API over a list of records that can change between page reads."""

    def __init__(self, count, with_total=True, on_page=None):
        self.records = [{"id": "s-%04d" % i} for i in range(count)]
        self.with_total = with_total
        self.on_page = on_page
        self.calls = []
        self.lock = threading.Lock()

    def fetch(self, index, size):
        with self.lock:
            self.calls.append(index)
            items = self.records[index * size:(index + 1) * size]
            page = Page([dict(r) for r in items], len(self.records) if self.with_total else None, "req-%d" % index)
            if self.on_page:
                self.on_page(self, index)
            return page


def ids(listing):
    return [r["id"] for r in listing.items]


def test_every_record_once_in_order_concurrently():
    fleet = Fleet(1050)
    listing = list_all(fleet.fetch, size=100, concurrency=4, id_of=lambda r: r["id"])
    assert ids(listing) == [r["id"] for r in fleet.records]
    assert listing.total == 1050
    assert sorted(fleet.calls) == list(range(11))
    assert len(listing.request_ids) == 11
    assert listing.warnings == []


def test_without_total_reads_until_a_short_page():
    fleet = Fleet(250, with_total=False)
    listing = list_all(fleet.fetch, size=100, concurrency=4, id_of=lambda r: r["id"])
    assert ids(listing) == [r["id"] for r in fleet.records]
    assert fleet.calls == [0, 1, 2]


def test_exact_multiple_without_total_stops_on_empty_page():
    fleet = Fleet(200, with_total=False)
    listing = list_all(fleet.fetch, size=100, concurrency=1, id_of=lambda r: r["id"])
    assert len(listing.items) == 200
    assert fleet.calls == [0, 1, 2]


def test_insert_between_pages_reads_again_and_loses_nothing():
    def insert_once(fleet, index):
        if index == 0 and not getattr(fleet, "done", False):
            fleet.done = True
            fleet.records.insert(0, {"id": "new"})

    fleet = Fleet(1050, on_page=insert_once)
    listing = list_all(fleet.fetch, size=100, concurrency=4, id_of=lambda r: r["id"])
    got = ids(listing)
    assert len(got) == len(set(got)) == 1051
    assert got == [r["id"] for r in fleet.records]
    assert listing.passes == 2


def test_delete_between_pages_loses_no_remaining_record():
    def delete_once(fleet, index):
        if index == 0 and not getattr(fleet, "done", False):
            fleet.done = True
            del fleet.records[5]

    fleet = Fleet(300, on_page=delete_once)
    listing = list_all(fleet.fetch, size=100, concurrency=1, id_of=lambda r: r["id"])
    assert ids(listing) == [r["id"] for r in fleet.records]


def test_a_list_that_never_settles_is_returned_with_a_warning():
    def grow(fleet, index):
        fleet.records.insert(0, {"id": "n-%d" % len(fleet.calls)})

    fleet = Fleet(300, on_page=grow)
    listing = list_all(fleet.fetch, size=100, concurrency=1, id_of=lambda r: r["id"])
    assert listing.passes == 3
    assert "kept changing" in listing.warnings[0]
    got = ids(listing)
    assert len(got) == len(set(got))


def test_max_results_reads_only_the_pages_needed():
    fleet = Fleet(1050)
    listing = list_all(fleet.fetch, size=100, concurrency=4, id_of=lambda r: r["id"], max_results=150)
    assert ids(listing) == ["s-%04d" % i for i in range(150)]
    assert sorted(fleet.calls) == [0, 1]
    assert listing.total == 1050


def test_short_total_is_reported():
    def fetch(index, size):
        return Page([{"id": 1}, {"id": 1}], 3, None)

    listing = list_all(fetch, size=10, concurrency=2, id_of=lambda r: r["id"])
    assert [r["id"] for r in listing.items] == [1]
    assert "reported 3 records but returned 1" in listing.warnings[0]


class OffsetApi:
    """A ModelArts-like list whose ``offset`` counts records or pages."""

    def __init__(self, count, counts_records):
        self.records = [{"id": "m-%04d" % i} for i in range(count)]
        self.counts_records = counts_records
        self.calls = []

    def fetch(self, params):
        self.calls.append(dict(params))
        offset, limit = params["offset"], params["limit"]
        start = offset if self.counts_records else offset * limit
        return Page([dict(r) for r in self.records[start:start + limit]], len(self.records), None)


class Paging:  # pylint: disable=too-few-public-methods
    style = "offset_probe"
    index_param = "offset"
    size_param = "limit"
    first = 1


def test_offset_probe_finds_record_offsets():
    api = OffsetApi(2500, counts_records=True)
    logged = []
    listing = list_pages(api.fetch, Paging, size=1000, concurrency=2, id_of=lambda r: r["id"], log=logged.append)
    assert [r["id"] for r in listing.items] == [r["id"] for r in api.records]
    assert logged == ["offset counts records"]
    assert [c["offset"] for c in api.calls] == [0, 1, 1000, 2000]


def test_offset_probe_finds_page_offsets():
    api = OffsetApi(2500, counts_records=False)
    logged = []
    listing = list_pages(api.fetch, Paging, size=1000, concurrency=2, id_of=lambda r: r["id"], log=logged.append)
    assert [r["id"] for r in listing.items] == [r["id"] for r in api.records]
    assert logged == ["offset counts pages"]
    assert [c["offset"] for c in api.calls][:2] == [0, 1] and sorted(c["offset"] for c in api.calls[2:]) == [1, 2]


def test_offset_probe_needs_no_probe_for_one_page():
    api = OffsetApi(700, counts_records=False)
    listing = list_pages(api.fetch, Paging, size=1000, concurrency=2, id_of=lambda r: r["id"])
    assert len(listing.items) == 700
    assert api.calls == [{"offset": 0, "limit": 1000}]


class Gauge:
    """Counts the calls running at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.peak = self.calls = 0

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.calls += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


def test_run_all_keeps_order():
    assert run_all(lambda x: x * 2, range(20), concurrency=4) == [x * 2 for x in range(20)]
    assert run_all(lambda x: x, [], concurrency=4) == []
    with ThreadPoolExecutor(max_workers=3) as pool:
        assert run_all(lambda x: -x, range(50), executor=pool) == [-x for x in range(50)]


@pytest.mark.parametrize("workers", [1, 3])
def test_jobs_and_their_pages_share_one_bounded_pool(workers):
    """Sources run in the pool and spread their pages over it: never more than the bound, never a deadlock."""
    gauge = Gauge()

    def page(index):
        with gauge:
            time.sleep(0.002)
            return index

    def job(name):
        with gauge:
            first = name  # the first page, read by the job itself
        return [first] + run_all(page, range(8), executor=pool)

    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(job, name) for name in range(6)]
        results = [future.result(timeout=20) for future in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a deadlock fails the test instead of hanging it
    assert results == [[name] + list(range(8)) for name in range(6)]
    assert gauge.calls == 6 * 9
    assert gauge.peak <= workers
    if workers > 1:
        assert gauge.peak > 1


def test_run_all_raises_the_first_error_and_skips_the_rest():
    started = []

    def call(index):
        started.append(index)
        if index == 2:
            raise ValueError("page 2")
        return index

    with ThreadPoolExecutor(max_workers=1) as pool:
        blocker = threading.Event()
        pool.submit(blocker.wait, 5)  # the only worker is busy: the caller runs every call itself
        with pytest.raises(ValueError, match="page 2"):
            run_all(call, range(10), executor=pool)
        blocker.set()
    assert started == [0, 1, 2]
