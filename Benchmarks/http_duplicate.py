#!/usr/bin/env python3
"""Duplicates a dataset test -> live through the HTTP API, type by type: a dry-data export of each type
(in dependency order), its download, and an import of the file into live as a multipart upload.
This is the baseline `ferry duplicate` must beat (issue 4). Prints the seconds it took.

usage: http_duplicate.py BASE_URL TEST_TOKEN LIVE_TOKEN TYPE...
"""
import json
import sys
import time
import urllib.request
import uuid


def call(method, url, token, body=None, content_type="application/vnd.api+json"):
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if body is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request) as response:
        return response.read()


def wait(base, kind, job_id, token):
    while True:
        job = json.loads(call("GET", f"{base}/api/{kind}/{job_id}", token))["data"]["attributes"]
        if job["status"] == "completed":
            return job
        if job["status"] in ("failed", "interrupted"):
            sys.exit(f"{kind} {job_id} {job['status']}: {job.get('errors_log')}")
        time.sleep(0.02)


def main():
    base, test_token, live_token, *types = sys.argv[1:]
    start = time.monotonic()
    for resource_type in types:
        created = call("POST", f"{base}/api/exports", test_token, json.dumps(
            {"data": {"type": "exports", "attributes": {"resource_type": resource_type, "dry_data": True}}}).encode())
        export = wait(base, "exports", json.loads(created)["data"]["id"], test_token)
        if export["records_count"] == 0:
            continue
        data = urllib.request.urlopen(export["attachment_url"]).read()
        boundary = uuid.uuid4().hex
        body = b"".join([
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"resource_type\"\r\n\r\n{resource_type}\r\n".encode(),
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{resource_type}.json.gz\"\r\n"
            "Content-Type: application/gzip\r\n\r\n".encode(), data, f"\r\n--{boundary}--\r\n".encode()])
        created = call("POST", f"{base}/api/imports", live_token, body, f"multipart/form-data; boundary={boundary}")
        imported = wait(base, "imports", json.loads(created)["data"]["id"], live_token)
        if imported["errors_count"]:
            sys.exit(f"{resource_type}: {imported['errors_count']} errors: {imported['errors_log']}")
    print(f"{time.monotonic() - start:.2f}")


main()
