#!/usr/bin/env python3
"""Runs AWS's durable execution conformance suite against lambda-rt's handlers, offline.

The suite (PyPI `aws-durable-execution-conformance-tests`) deploys one function per requirement with SAM,
invokes it in AWS and checks the execution's history with its validator. Here the functions are the
`conformance.<id>` handlers of this crate's binary, served by lambda-rt's embedded emulator
(`conformance serve`), and the durable execution service is either AWS's local one, `dex-local-runner`
(PyPI `aws-durable-execution-sdk-python-testing`), or the emulator itself. Only the deployment and the
first invoke are replaced; the suite's own validator (`validate.validate_description`) checks every
requirement, unchanged.

    conformance.py runner --port P --lambda-endpoint URL
        dex-local-runner's server, with the fix below.
    conformance.py list SUITE...
        the ids of the suites' requirements (e.g. `list step wait`).
    conformance.py check --runner URL --report FILE --id 1-1 2-3 ... [--handlers 1-1,2-3,...] [--service S]
                         [--logs FILE]
        validates the requirements, several at a time, and writes a JSON report:
        {"<id>": {"status": "passed" | "failed" | "not runnable" | "no handler", ...}}.
        `--service dex` (the default): URL is dex-local-runner's, which starts each execution.
        `--service emulator`: URL is `conformance serve`'s, the durable execution service itself; each
        execution starts as on Lambda, with an Invoke of the durable function.
        `--logs FILE`: what the functions wrote (`conformance serve`'s stdout and stderr, JSON log lines),
        where the requirements' expected logs are checked. On AWS the suite reads them from CloudWatch Logs,
        filtered to the lines whose `durableExecutionArn` (or `executionArn`) is the execution's; here the
        same filter runs over the file's lines, each in its place in the file, and the suite's own
        `CloudWatchLogValidator` checks them. Without it, a requirement with expected logs is not runnable.

Requirements that cannot run offline are in NOT_RUNNABLE, with the reason.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.request import Request, urlopen

# Requirements this harness does not run, and why. Everything else that has a handler runs.
NOT_RUNNABLE = {
    "1-17": "crashes the function's process, which under the embedded emulator is the emulator's own",
    "1-18": "crashes the function's process, which under the embedded emulator is the emulator's own",
    "3-12": "crashes the function's process, which under the embedded emulator is the emulator's own",
}

REGION = "us-west-2"
ACCOUNT = "123456789012"
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"}
# The longest an execution of the suite may take (1-13's default retries wait up to 15 s).
EXECUTION_TIMEOUT = 240


def runner(args: list[str]) -> int:
    """dex-local-runner's server, with five fixes to the history it serves.

    All five are in how dex-local-runner 1.4.0 renders events, not in what it records or does, and each
    leaves out a key that Lambda's history has and the suite's requirements expect (AWS's Python SDK fails
    the same requirements against the unfixed runner):

    - `Event.from_event_with_id` (which renumbers the events) drops `InvocationCompletedDetails`, which
      nearly every requirement expects (`InvocationCompletedDetails: {}`). The fix carries it over.
    - A `StepSucceeded` event never has `RetryDetails`: the runner computes it from the checkpoint that
      failed or retried a step, and a step's success is neither. Requirements 1-11, 1-13, 1-14, 1-15 and
      3-7 expect `RetryDetails: {CurrentAttempt: n}` on the success of a step's n-th attempt. The fix adds
      it from the attempt count the runner keeps on the operation (`StepDetails.Attempt`).
    - A wait_for_condition check that goes on is a `RETRY` with the new state as its payload, rendered as
      `StepSucceeded` without that payload (`Result.Payload`, which 6-1, 6-3 to 6-5, 6-12 and 6-13
      expect). The fix takes it from the update the event is rendered from.
    - `CallbackStarted` never has `Timeout` and `HeartbeatTimeout` (4-3 to 4-5, 4-8, 4-11, 4-14, 7-5,
      7-12 to 7-14): the runner renders it without the update that carried them. The fix keeps each
      callback's options as the runner processes its `START`, and adds them.
    - `ChainedInvokeStarted` has neither `ExecutedVersion` (the runner resolves no versions; every 5-*
      expects the key) nor the `TenantId` the invoke carried (5-8). The fix adds the version the runner
      invoked, `$LATEST` (it calls the function by its bare name), and the tenant from the update.
    """
    from aws_durable_execution_sdk_python_testing import model
    from aws_durable_execution_sdk_python_testing.checkpoint.processors import callback
    from aws_durable_execution_sdk_python_testing.cli import main

    renumber = model.Event.from_event_with_id.__func__

    def renumber_keeping_details(cls, event, event_id):
        renumbered = renumber(cls, event, event_id)
        if event.invocation_completed_details is not None and renumbered.invocation_completed_details is None:
            renumbered = dataclasses.replace(
                renumbered, invocation_completed_details=event.invocation_completed_details
            )
        return renumbered

    step_succeeded = model.Event.create_step_event_succeeded.__func__

    def step_succeeded_complete(cls, context):
        event = step_succeeded(cls, context)
        details = event.step_succeeded_details
        if details is None:
            return event
        step = context.operation.step_details
        if details.retry_details is None and step is not None and step.attempt:
            details = dataclasses.replace(details, retry_details=model.RetryDetails(current_attempt=step.attempt))
        update = context.operation_update
        if (details.result is None or details.result.payload is None) and update is not None and update.payload:
            included = context.include_execution_data
            result = model.EventResult(payload=update.payload if included else None, truncated=not included)
            details = dataclasses.replace(details, result=result)
        return dataclasses.replace(event, step_succeeded_details=details)

    options: dict[tuple[str, str], object] = {}
    process_callback = callback.CallbackProcessor.process

    def process_keeping_options(self, update, current_op, notifier, execution_arn, now):
        if update.callback_options is not None:
            options[(execution_arn, update.operation_id)] = update.callback_options
        return process_callback(self, update, current_op, notifier, execution_arn, now)

    callback_started = model.Event.create_callback_event_started.__func__

    def callback_started_with_options(cls, context):
        event = callback_started(cls, context)
        details = event.callback_started_details
        kept = options.get((context.durable_execution_arn, context.operation.operation_id))
        if details is not None and kept is not None and details.timeout is None and details.heartbeat_timeout is None:
            details = dataclasses.replace(
                details,
                timeout=kept.timeout_seconds or None,
                heartbeat_timeout=kept.heartbeat_timeout_seconds or None,
            )
            event = dataclasses.replace(event, callback_started_details=details)
        return event

    invoke_started = model.Event.create_chained_invoke_event_started.__func__

    def invoke_started_complete(cls, context):
        event = invoke_started(cls, context)
        details = event.chained_invoke_started_details
        options = context.operation_update.chained_invoke_options if context.operation_update else None
        if details is not None and details.tenant_id is None and options is not None and options.tenant_id:
            event = dataclasses.replace(
                event, chained_invoke_started_details=dataclasses.replace(details, tenant_id=options.tenant_id)
            )
        return event

    started_details = model.ChainedInvokeStartedDetails.to_dict

    def started_details_with_version(self):
        rendered = started_details(self)
        rendered.setdefault("ExecutedVersion", "$LATEST")
        return rendered

    model.Event.from_event_with_id = classmethod(renumber_keeping_details)
    model.Event.create_chained_invoke_event_started = classmethod(invoke_started_complete)
    model.ChainedInvokeStartedDetails.to_dict = started_details_with_version
    model.Event.create_step_event_succeeded = classmethod(step_succeeded_complete)
    model.Event.create_callback_event_started = classmethod(callback_started_with_options)
    callback.CallbackProcessor.process = process_keeping_options
    sys.argv = ["dex-local-runner", "start-server", *args]
    return main()


def requirements() -> dict[str, Path]:
    """Every requirement of the installed suite: id -> its YAML file."""
    from aws_durable_execution_conformance_tests.config import TESTS_DIR

    return {path.stem: path for path in Path(TESTS_DIR).rglob("*.yaml")}


def listing(suites: list[str]) -> int:
    found = requirements()
    for suite in suites:
        ids = [i for i, path in found.items() if path.parent.name == suite]
        if not ids:
            print(f"the installed suite has no requirements in `{suite}`", file=sys.stderr)
            return 1
        print("\n".join(sorted(ids, key=lambda i: [int(n) for n in i.split("-")])))
    return 0


def logs_from_file(path: Path):
    """The suite's expected-logs check, with the lines read from `path` instead of CloudWatch Logs."""
    from aws_durable_execution_conformance_tests.cloudwatch import CloudWatchLogValidator

    def expected_logs(description_data, stack_name, function_name, execution_arn, start_time_ms,
                      aws_clients, context=None):
        expected = description_data.get("ExpectedLogs")
        if not expected:
            return []
        events = []
        # The execution has ended, so its lines are written; each keeps its place in the file as its time.
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines):
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(record, dict):
                    continue
                if execution_arn in (record.get("durableExecutionArn"), record.get("executionArn")):
                    events.append({"message": line, "timestamp": number, "ingestionTime": number})
        return CloudWatchLogValidator().validate(expected, events, context=context).errors

    return expected_logs


def has_expected_logs(file: Path) -> bool:
    import yaml

    return bool(yaml.safe_load(file.read_text()).get("ExpectedLogs"))


def check(runner_url: str, ids: list[str], report: Path, workers: int, handlers: set[str] | None,
          service: str, logs: Path | None) -> int:
    import boto3
    from botocore.config import Config

    from aws_durable_execution_conformance_tests import validate

    if logs is not None:
        validate._validate_expected_logs = logs_from_file(logs)
    from aws_durable_execution_conformance_tests.sam import EventFileReader, InvocationResult, Invoker, InvokeError

    client = boto3.client(
        "lambda",
        endpoint_url=runner_url,
        region_name=REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        # A synchronous Invoke of a durable function answers when its execution is over.
        config=Config(read_timeout=EXECUTION_TIMEOUT + 60, retries={"max_attempts": 1}),
    )

    class StartOnRunner(Invoker):
        """Starts an execution as Lambda's Invoke of a durable function would, on the local service (with
        dex-local-runner, which takes no Invoke, through its own start call)."""

        def _resolve_function(self, logical_id: str) -> str:
            return logical_id

        def _invoke_boto3(self, function_name, event_file_path, invocation_type):
            if service == "emulator":
                # The emulator is the service: the suite's own Invoke of the durable function, as on Lambda.
                return super()._invoke_boto3(function_name, event_file_path, invocation_type)
            payload = None
            if event_file_path is not None:
                payload = EventFileReader.extract_payload(EventFileReader.read(event_file_path))
            start = {
                "AccountId": ACCOUNT,
                "FunctionName": function_name,
                "FunctionQualifier": "$LATEST",
                "ExecutionName": f"{function_name.replace('.', '-')}-{uuid.uuid4().hex[:8]}",
                "ExecutionTimeoutSeconds": EXECUTION_TIMEOUT,
                "ExecutionRetentionPeriodDays": 1,
                "InvocationId": str(uuid.uuid4()),
                "Input": json.dumps(payload),
            }
            request = Request(
                f"{runner_url}/start-durable-execution",
                data=json.dumps(start).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                with urlopen(request, timeout=30) as answer:
                    arn = json.loads(answer.read())["ExecutionArn"]
            except OSError as e:
                raise InvokeError(function_name, f"start-durable-execution: {e}") from e
            result = ""
            if invocation_type != "Event":
                # A synchronous Invoke of a durable function answers once the execution is over.
                while True:
                    execution = client.get_durable_execution(DurableExecutionArn=arn)
                    if execution.get("Status") in TERMINAL:
                        result = execution.get("Result") or ""
                        break
                    time.sleep(0.25)
            output = {"StatusCode": 202 if invocation_type == "Event" else 200, "DurableExecutionArn": arn,
                      "Payload": result}
            return InvocationResult(success=True, command=f"start {function_name}", output=json.dumps(output),
                                    stderr="", function_name=function_name)

    invoker = StartOnRunner(stack_name="local", region=REGION, lambda_client=client)
    files = requirements()
    histories = Path(tempfile.mkdtemp(prefix="conformance-histories-"))
    events = Path(tempfile.mkdtemp(prefix="conformance-events-"))

    def one(requirement: str) -> tuple[str, dict]:
        if requirement in NOT_RUNNABLE:
            return requirement, {"status": "not runnable", "reason": NOT_RUNNABLE[requirement]}
        if handlers is not None and requirement not in handlers:
            return requirement, {"status": "no handler", "errors": [f"no handler conformance.{requirement}"]}
        if requirement not in files:
            return requirement, {"status": "failed", "errors": ["the installed suite has no such requirement"]}
        if logs is None and has_expected_logs(files[requirement]):
            return requirement, {"status": "not runnable", "reason": "checks the function's log: give --logs"}
        outcome = validate.validate_description(
            f"conformance.{requirement}",
            requirement,
            str(files[requirement]),
            invoker,
            str(events),
            region=REGION,
            aws_clients={"lambda": client},
            output_dir=str(histories),
        )
        status = "passed" if outcome.passed else "failed"
        return requirement, {"status": status, "errors": list(outcome.errors),
                             "history": str(histories / f"{requirement}.json")}

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(pool.map(one, ids))
    report.write_text(json.dumps(results, indent=2, sort_keys=True))
    for requirement in ids:
        result = results[requirement]
        print(f"{requirement:>6}  {result['status']}  {result.get('reason', '')}")
        for error in result.get("errors", []):
            print(f"        {error}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("runner", help="dex-local-runner's server (start-server's options follow)")
    checking = commands.add_parser("check", help="validate requirements against a running service")
    checking.add_argument("--runner", required=True, help="the local durable execution service's URL")
    checking.add_argument("--report", required=True, type=Path, help="where the JSON report goes")
    checking.add_argument("--id", nargs="+", required=True, help="requirement ids, e.g. 1-1 2-3")
    checking.add_argument("--workers", type=int, default=12, help="requirements validated at once")
    checking.add_argument("--handlers", help="the ids that have a handler, comma-separated (default: all)")
    checking.add_argument("--service", choices=["dex", "emulator"], default="dex",
                          help="which durable execution service --runner is (default: dex-local-runner)")
    checking.add_argument("--logs", type=Path, help="the file the functions' stdout and stderr go to")
    listed = commands.add_parser("list", help="the requirement ids of suites")
    listed.add_argument("suites", nargs="+", help="e.g. step wait")
    args, rest = parser.parse_known_args()
    if args.command == "runner":
        return runner(rest)
    if rest:
        parser.error(f"unknown arguments: {' '.join(rest)}")
    if args.command == "list":
        return listing(args.suites)
    handlers = set(args.handlers.split(",")) if args.handlers is not None else None
    return check(args.runner.rstrip("/"), args.id, args.report, args.workers, handlers, args.service, args.logs)


if __name__ == "__main__":
    sys.exit(main())
