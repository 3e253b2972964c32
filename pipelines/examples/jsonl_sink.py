#!/usr/bin/env python3
"""An exec sink in Python: appends every record to a JSON-lines file.

Speaks Ferry's exec protocol (docs/exec-protocol.md) on standard input and output:
hello -> hello, each batch -> ack, end -> state, then exit 0. Diagnostics go to stderr.
"""
import json
import os
import sys


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    hello = json.loads(sys.stdin.readline())
    if hello.get("type") != "hello" or hello.get("protocol") != 1:
        print(f"unexpected greeting: {hello}", file=sys.stderr)
        return 2
    path = hello.get("options", {}).get("path", "records.jsonl")
    send({"type": "hello", "protocol": 1})
    if os.path.dirname(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for line in sys.stdin:
            message = json.loads(line)
            if message["type"] == "batch":
                for record in message["records"]:
                    out.write(json.dumps(record) + "\n")
                written += len(message["records"])
                send({"type": "ack", "count": len(message["records"])})
            elif message["type"] == "end":
                out.flush()
                send({"type": "state", "records": written, "path": path})
                return 0
    print("input ended without an end message", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
