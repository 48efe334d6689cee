"""Email on the RQ backend (TASKS_BACKEND=django_tasks_rq.RQBackend): queued in Redis, sent by an RQ worker, a
failed send retried with the same policy as the database queue, every failed attempt kept in RQ's failed job
registry, and several workers on one Redis sending each message once.

These run against the real Redis at 127.0.0.1:6379 (the database of REDIS_URL, else 0), as CI has in both of
its passes; only RQ's own keys (`rq:*`) of that database are emptied around each test."""
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta

import django_rq
import pytest
import redis
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_rq import Job
from rq import SimpleWorker
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry

from drafting import notify
from drafting.tasks import EMAIL_ATTEMPTS, retry_delay, send_email

REDIS_FOR_TESTS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
RQ_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}


class DownMailServer:
    attempts = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        DownMailServer.attempts += 1
        raise ConnectionRefusedError("mail server down")


def _empty_rq_keys(connection):
    for key in connection.scan_iter("rq:*"):
        connection.delete(key)


@pytest.fixture
def redis_queue(settings):
    """The RQ backend on the test Redis; the queue, as the worker and the web process both see it."""
    connection = redis.Redis.from_url(REDIS_FOR_TESTS)
    try:
        connection.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is not running at {REDIS_FOR_TESTS}: {error}")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = RQ_QUEUE
    settings.RQ_QUEUES = {"default": {"URL": REDIS_FOR_TESTS}}
    DownMailServer.attempts = 0
    _empty_rq_keys(connection)
    yield django_rq.get_queue("default", job_class=Job)
    _empty_rq_keys(connection)
    connection.close()


def run_burst_worker(queue):
    """What `manage.py task_worker --burst` does, in this process (SimpleWorker: no fork, so the test's mail
    outbox and settings are the worker's): due retries back into the queue, then every queued job."""
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True, with_scheduler=True)


def make_retries_due(queue):
    registry = ScheduledJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.schedule(Job.fetch(job_id, connection=queue.connection), timezone.now() - timedelta(seconds=1))


def message(subject="Subject", to="dinara@example.test"):
    return mail.EmailMessage(subject=subject, body="Body", to=[to])


def test_an_email_is_queued_in_redis_and_sent_by_the_worker_not_the_request(redis_queue):
    notify.send_in_background([message()])
    assert mail.outbox == []
    [job_id] = redis_queue.job_ids
    assert send_email.get_backend().get_result(job_id).status == TaskResultStatus.READY

    run_burst_worker(redis_queue)

    assert [m.to for m in mail.outbox] == [["dinara@example.test"]]
    assert send_email.get_backend().get_result(job_id).status == TaskResultStatus.SUCCESSFUL
    assert FinishedJobRegistry(queue=redis_queue).get_job_ids() == [job_id]


def test_a_failed_send_on_redis_is_kept_as_failed_and_retried_after_the_same_wait(redis_queue, settings):
    settings.EMAIL_BACKEND = "tests.test_email_tasks_rq.DownMailServer"
    notify.send_in_background([message()])
    [first] = redis_queue.job_ids
    started = timezone.now()

    run_burst_worker(redis_queue)  # the retry waits a minute: this run sends nothing more

    assert DownMailServer.attempts == 1
    assert FailedJobRegistry(queue=redis_queue).get_job_ids() == [first]
    failed = send_email.get_backend().get_result(first)
    assert failed.status == TaskResultStatus.FAILED and "mail server down" in failed.errors[-1].traceback
    scheduled = ScheduledJobRegistry(queue=redis_queue)
    [retry] = scheduled.get_job_ids()
    assert Job.fetch(retry, connection=redis_queue.connection).args[1] == 2
    at = scheduled.get_scheduled_time(retry)
    assert started + retry_delay(1) - timedelta(seconds=1) <= at <= timezone.now() + retry_delay(1)

    # The mail server is back and the minute has passed: the worker sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_retries_due(redis_queue)
    run_burst_worker(redis_queue)
    assert len(mail.outbox) == 1
    assert send_email.get_backend().get_result(retry).status == TaskResultStatus.SUCCESSFUL


def test_an_email_that_never_goes_out_on_redis_is_tried_a_bounded_number_of_times_then_stays_failed(
    redis_queue, settings
):
    settings.EMAIL_BACKEND = "tests.test_email_tasks_rq.DownMailServer"
    notify.send_in_background([message()])
    for _ in range(EMAIL_ATTEMPTS + 2):  # more runs than attempts: the last failure queues nothing
        make_retries_due(redis_queue)
        run_burst_worker(redis_queue)

    assert DownMailServer.attempts == EMAIL_ATTEMPTS
    failed = FailedJobRegistry(queue=redis_queue).get_job_ids()
    assert len(failed) == EMAIL_ATTEMPTS
    assert ScheduledJobRegistry(queue=redis_queue).get_job_ids() == [] and redis_queue.job_ids == []
    attempts = sorted(Job.fetch(job_id, connection=redis_queue.connection).args[1] for job_id in failed)
    assert attempts == list(range(1, EMAIL_ATTEMPTS + 1))
    assert all(send_email.get_backend().get_result(job_id).status == TaskResultStatus.FAILED for job_id in failed)


def _worker_process():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", TASKS_BACKEND="django_tasks_rq.RQBackend",
               TASKS_REDIS_URL=REDIS_FOR_TESTS, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
               PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "manage.py", "task_worker"], cwd=django_settings.BASE_DIR, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _output_of(worker):
    """What a worker printed, once it stopped. A warm shutdown that has not ended within a minute (seen once on a
    loaded machine, after every message was sent) is cut short: what it printed is kept all the same."""
    try:
        return worker.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.communicate(timeout=30)[0]


def test_two_workers_on_one_redis_send_each_queued_email_exactly_once(redis_queue):
    """How a deployment grows past one machine: workers started by `manage.py task_worker` on several machines
    share one queue. Each message goes out once, and both workers do part of the work."""
    workers = [_worker_process(), _worker_process()]
    try:
        _wait_for(lambda: len(django_rq.get_worker("default").all(queue=redis_queue)) >= 2, 60, "two workers")
        count = 30
        notify.send_in_background([message(subject=f"Message {n}") for n in range(count)])
        finished = FinishedJobRegistry(queue=redis_queue)
        _wait_for(lambda: len(finished.get_job_ids()) == count, 120, "every message to be sent")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        output = "".join(_output_of(worker) for worker in workers)

    sent = re.findall(r"^Subject: (Message \d+)$", output, flags=re.MULTILINE)
    assert sorted(sent) == sorted(f"Message {n}" for n in range(count))  # each once, none lost
    runs = [Job.fetch(job_id, connection=redis_queue.connection).results() for job_id in finished.get_job_ids()]
    assert all(len(results) == 1 for results in runs)
    assert len({results[0].worker_name for results in runs}) == 2
    assert FailedJobRegistry(queue=redis_queue).get_job_ids() == []
