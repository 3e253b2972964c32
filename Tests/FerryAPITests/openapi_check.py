#!/usr/bin/env python3
"""Checks Ferry's OpenAPI document and real answers against it (issue 6).

usage: openapi_check.py SPEC.json CASES.json
CASES.json: [{"path": "/api/skus", "method": "get", "status": "200", "body": {...}}, ...]
Validates the document with openapi-spec-validator, then each body against the schema the
document gives for that path, method and status (JSON Schema 2020-12, as OpenAPI 3.1 uses).
Prints one line per failure and exits 1 when there is any.
"""
import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def pointer(*parts):
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def main():
    spec = json.load(open(sys.argv[1]))
    cases = json.load(open(sys.argv[2]))
    validate(spec)
    registry = Registry().with_resource("urn:ferry", Resource.from_contents(spec, default_specification=DRAFT202012))
    failures = 0
    for case in cases:
        operation = spec["paths"].get(case["path"], {}).get(case["method"])
        if operation is None:
            print(f"{case['method'].upper()} {case['path']}: not in the document")
            failures += 1
            continue
        answer = operation["responses"].get(case["status"])
        if answer is None:
            print(f"{case['method'].upper()} {case['path']}: status {case['status']} not documented")
            failures += 1
            continue
        if "content" not in answer:
            continue
        ref = "urn:ferry#/" + pointer("paths", case["path"], case["method"], "responses", case["status"], "content", "application/vnd.api+json", "schema")
        validator = Draft202012Validator({"$ref": ref}, registry=registry)
        for error in validator.iter_errors(case["body"]):
            print(f"{case['method'].upper()} {case['path']} {case['status']}: {error.message} at {list(error.absolute_path)}")
            failures += 1
    print(f"{len(cases)} answers checked, {failures} failures")
    sys.exit(1 if failures else 0)


main()
