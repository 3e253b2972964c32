"""Parses a Prometheus text exposition (standard input) with prometheus_client's own parser and
prints its samples as JSON lines: {"family", "type", "name", "labels", "value"}. A text the parser
refuses exits non-zero with its error."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    text = sys.stdin.read()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            print(json.dumps({
                "family": family.name, "type": family.type, "name": sample.name,
                "labels": dict(sample.labels), "value": sample.value,
            }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
