"""Counts of one test part, and the summary line of the whole run.

    odoo_log_counts.py PART FILE     prints "PART passed failed skipped" from an Odoo log or a JUnit XML
    odoo_log_counts.py --summary F   prints "N passed, M failed" over F; exits 1 on failure, skip or no test
    odoo_log_counts.py --suspects BASE OURS DIFFERENCES
                                     prints the --test-tags of the tests the Odoo log OURS shows
                                     failed or skipped and the Odoo log BASE does not, less the
                                     intended DIFFERENCES
    odoo_log_counts.py --compare PART BASE OURS AGAIN DIFFERENCES [RESULTS]
                                     prints each of those that did not pass in the Odoo log AGAIN of
                                     their second run, a count line, and adds "PART passed failed 0"
                                     to RESULTS; exits 1 when any is left

A part that ran no test, or whose log has errors outside any test (a module that failed to load,
a view that did not validate), counts as failed: both mean something is missing.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

ODOO_REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
ODOO_SKIP = re.compile(r" skipped \S+ : ")
ODOO_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
# "... ERROR db odoo.addons.sale.tests.test_x: FAIL: TestX.test_y" and its skipped twin
ODOO_TEST_ISSUE = re.compile(
    r"^\S+ \S+ \d+ \w+ \S+ odoo\.addons\.(\w+)\.\S*: "
    r"(?:(?:FAIL|ERROR): (?:Subtest )?(.+)|skipped (.+?) : (.*))$"
)
ODOO_TEST_START = re.compile(r"^\S+ \S+ \d+ INFO \S+ odoo\.addons\.(\w+)\.\S*: Starting (\S+) \.\.\.", re.M)
ODOO_TOUR_FAILED = re.compile(r"""(\w+): The test code "odoo\.startTour\('([^']+)'.*" failed$""")
ODOO_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ")


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


def odoo_test_issues(path):
    """{"/module:Class.test": first line of its error} of the tests an Odoo log shows failed or
    skipped; the keys are what --test-tags takes to run the test again."""
    issues = {}
    with open(path, encoding="utf-8", errors="replace") as log:
        lines = log.read().splitlines()
    for i, line in enumerate(lines):
        match = ODOO_TEST_ISSUE.match(line)
        if not match:
            continue
        module, failed, skipped, reason = match.groups()
        if skipped:
            issues.setdefault(f"/{module}:{skipped}", f"skipped: {reason}")
            continue
        details = []
        for detail in lines[i + 1 :]:
            if ODOO_LOG_LINE.match(detail):
                break
            details.append(detail)
        issues.setdefault(f"/{module}:{failed}", error_line(details))
    return issues


def error_line(traceback):
    """The first line of the exception a traceback ends with (the line after its last frame)."""
    frames = [n for n, line in enumerate(traceback) if line.startswith('  File "')]
    start = frames[-1] + 1 if frames else 0
    for number, line in enumerate(traceback[start:], start):
        if line.strip() and not line[0].isspace():
            tour = ODOO_TOUR_FAILED.match(line)
            if not tour:
                return line.strip()
            # A tour says why on a line of its own.
            why = next((why.strip() for why in traceback[number + 1 :] if why.strip()), "")
            return f"{tour[1]}: tour {tour[2]} failed: {why}"
    return next((line.strip() for line in traceback if line.strip()), "(no message)")


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


def junit_issues(path):
    """{"file::test": first line of its failure} of the tests a JUnit XML shows failed or skipped."""
    try:
        suites = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return {}
    issues = {}
    for case in suites.iter("testcase"):
        for outcome in ("failure", "error", "skipped"):
            found = case.find(outcome)
            if found is not None:
                message = (found.get("message") or found.text or "").strip().splitlines() or [""]
                issues[f"{case.get('classname')}::{case.get('name')}"] = f"{outcome}: {message[0][:300]}"
                break
    return issues


def part(name, path):
    """Prints the part's counts; on stderr, each test that failed or was skipped, so that a run
    says which without its logs."""
    xml = path.endswith(".xml")
    passed, failed, skipped = junit_counts(path) if xml else odoo_counts(path)
    if passed + failed + skipped == 0:
        failed = 1  # a part that ran nothing hides a broken setup
    print(name, passed, failed, skipped)
    if failed or skipped:
        for test, issue in (junit_issues(path) if xml else odoo_test_issues(path)).items():
            print(f"  {name}: {test}  {issue}", file=sys.stderr)
    return failed == 0 and skipped == 0


def ours_only(base_log, ours_log, differences_path):
    """{test: error} of the tests that fail or skip with our addons and not without, less the
    intended differences; and the sets of those intended and of those failing without them too."""
    base = odoo_test_issues(base_log)
    ours = odoo_test_issues(ours_log)
    with open(differences_path, encoding="utf-8") as differences:
        intended = {line.split()[0] for line in differences if line.strip() and not line.startswith("#")}
    only = {test: error for test, error in ours.items() if test not in base and test not in intended}
    return only, set(ours) & intended, set(ours) & set(base)


def suspects(base_log, ours_log, differences_path):
    """Prints the --test-tags of the tests that fail only with our addons, to run them again."""
    only, _intended, _both = ours_only(base_log, ours_log, differences_path)
    print(",".join(sorted({test.split(" ")[0] for test in only})))
    return True


def compare(name, base_log, ours_log, again_log, differences_path, results_path=None):
    """Prints each test that fails or skips only with our addons, less the intended differences
    and those that passed when run again (AGAIN, a log that may not exist: a browser test may time
    out on a busy machine), then a count line; "PART passed failed 0" goes to the results file
    when one is given. Tests that fail without our addons too are Odoo's own and count neither way."""
    only, intended, both = ours_only(base_log, ours_log, differences_path)
    flaky = set()
    if os.path.exists(again_log):
        with open(again_log, encoding="utf-8", errors="replace") as log:
            started = {f"/{module}:{test}" for module, test in ODOO_TEST_START.findall(log.read())}
        again = odoo_test_issues(again_log)
        flaky = {test for test in only if test.split(" ")[0] in started and test not in again}
    failed = sorted(set(only) - flaky)
    for test in failed:
        print(f"{test}  {only[test]}")
    totals = []
    for path in (base_log, ours_log):
        with open(path, encoding="utf-8", errors="replace") as log:
            reports = ODOO_REPORT.findall(log.read())
        if not reports:
            print(f"{path}: Odoo ended without its test report (a module did not install?)")
            failed.append(path)
        totals.append(int(reports[-1][2]) if reports else 0)
    passed = totals[1] - len(failed) - len(both) - len(intended)
    print(
        f"{len(failed)} tests fail only with our addons; {passed} of {totals[1]} tests pass with them "
        f"({totals[0]} without), {len(both)} fail without them too, {len(intended)} are intended "
        f"differences, {len(flaky)} passed when run again"
    )
    if results_path:
        with open(results_path, "a", encoding="utf-8") as results:
            results.write(f"{name} {passed} {len(failed)} 0\n")
    return not failed


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
    if sys.argv[1] == "--suspects":
        sys.exit(0 if suspects(*sys.argv[2:]) else 1)
    if sys.argv[1] == "--compare":
        sys.exit(0 if compare(*sys.argv[2:]) else 1)
    if sys.argv[1] == "--summary":
        sys.exit(0 if summary(sys.argv[2]) else 1)
    sys.exit(0 if part(sys.argv[1], sys.argv[2]) else 1)
