"""Counts of one test part, and the summary line of the whole run.

    odoo_log_counts.py PART FILE     prints "PART passed failed skipped" from an Odoo log or a JUnit XML
    odoo_log_counts.py --summary F   prints "N passed, M failed" over F; exits 1 on failure, skip or no test

A part that ran no test, or whose log has errors outside any test (a module that failed to load,
a view that did not validate), counts as failed: both mean something is missing.
"""

import re
import sys
import xml.etree.ElementTree as ET

ODOO_REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
ODOO_SKIP = re.compile(r" skipped \S+ : ")
ODOO_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def odoo_counts(path):
    with open(path, encoding="utf-8", errors="replace") as log:
        text = log.read()
    reports = ODOO_REPORT.findall(text)
    if not reports:
        return 0, 1, 0
    failed, errors, total = (int(n) for n in reports[-1])
    skipped = len(ODOO_SKIP.findall(text))
    broken = failed + errors
    if not broken and any(ODOO_ERROR.match(line) for line in text.splitlines()):
        broken = 1
    return total - broken - skipped, broken, skipped


def junit_counts(path):
    try:
        suites = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return 0, 1, 0
    total = failed = skipped = 0
    for suite in suites.iter("testsuite"):
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def part(name, path):
    passed, failed, skipped = junit_counts(path) if path.endswith(".xml") else odoo_counts(path)
    if passed + failed + skipped == 0:
        failed = 1  # a part that ran nothing hides a broken setup
    print(name, passed, failed, skipped)
    return failed == 0 and skipped == 0


def summary(path):
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    bad_parts = []
    with open(path, encoding="utf-8") as results:
        for line in results:
            name, passed, failed, skipped = line.split()
            totals["passed"] += int(passed)
            totals["failed"] += int(failed)
            totals["skipped"] += int(skipped)
            if int(failed) or int(skipped):
                bad_parts.append(f"{name} ({failed} failed, {skipped} skipped)")
            print(f"  {name}: {passed} passed, {failed} failed, {skipped} skipped")
    if bad_parts:
        print("Failed parts: " + ", ".join(bad_parts) + " - logs in .test-logs/")
    if totals["skipped"]:
        print("Skipped tests count as failures: install what they need (make setup).")
    line = f"{totals['passed']} passed, {totals['failed']} failed"
    if totals["skipped"]:
        line += f", {totals['skipped']} skipped"
    print(line)
    return not bad_parts and totals["passed"] > 0


if __name__ == "__main__":
    if sys.argv[1] == "--summary":
        sys.exit(0 if summary(sys.argv[2]) else 1)
    sys.exit(0 if part(sys.argv[1], sys.argv[2]) else 1)
