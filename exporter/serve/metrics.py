"""The service's figures in the Prometheus text format, on a registry of its own: jobs by
outcome, the queue's depth, the jobs running, the time a job takes, worker restarts by
reason."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# From a short article on a warm worker to a book: seconds.
OUTCOMES = ("exported", "failed", "timeout", "memory", "crash", "internal")
RESTART_REASONS = ("crash", "timeout", "memory", "jobs")
_BUCKETS = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self, queue_depth: Callable[[], int], running: Callable[[], int]) -> None:
        disable_created_metrics()  # the *_created series say nothing a scraper needs
        self.registry = CollectorRegistry()
        self.jobs = Counter(
            "exporter_jobs", "Jobs finished, by outcome", ["outcome"], registry=self.registry
        )
        self.rejected = Counter(
            "exporter_requests_rejected",
            "Export requests refused before a job began, by HTTP status",
            ["status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "exporter_job_seconds",
            "Time from a job's arrival to its end",
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.restarts = Counter(
            "exporter_worker_restarts",
            "Worker processes replaced, by reason",
            ["reason"],
            registry=self.registry,
        )
        for outcome in OUTCOMES:  # every series present from the start, at 0
            self.jobs.labels(outcome=outcome)
        for reason in RESTART_REASONS:
            self.restarts.labels(reason=reason)
        depth = Gauge("exporter_queue_depth", "Jobs waiting for a worker", registry=self.registry)
        depth.set_function(queue_depth)
        busy = Gauge("exporter_jobs_running", "Jobs a worker is exporting", registry=self.registry)
        busy.set_function(running)

    def job_finished(self, outcome: str, seconds: float) -> None:
        self.jobs.labels(outcome=outcome).inc()
        self.latency.observe(seconds)

    def text(self) -> bytes:
        return generate_latest(self.registry)
