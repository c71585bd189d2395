"""Sum every CI leg's tests into one line, `ci: N passed, M failed`, and exit non-zero on failure.

Reads the directory `.ci/run` filled: one folder per leg holding `exit-code` and any JUnit XML
reports its tests wrote (pytest, schemathesis). A leg with reports counts their test cases; a leg
without counts as one test. A leg that exited non-zero although its reports show no failure adds
one failure (it crashed, or something outside the reported tests failed).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def junit_counts(path: Path) -> tuple[int, int]:
    """(passed, failed) test cases of one JUnit XML file; skipped cases count as neither."""
    passed = failed = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        outcomes = {child.tag for child in case}
        if outcomes & {"failure", "error"}:
            failed += 1
        elif "skipped" not in outcomes:
            passed += 1
    return passed, failed


def main(reports: Path) -> int:
    total_passed = total_failed = 0
    lines = []
    for leg in sorted(p for p in reports.iterdir() if p.is_dir()):
        code_file = leg / "exit-code"
        exit_code = int(code_file.read_text().strip()) if code_file.exists() else 1
        files = sorted(leg.rglob("*.xml"))
        passed = failed = 0
        for path in files:
            try:
                p, f = junit_counts(path)
            except ET.ParseError:
                p, f = 0, 1
            passed += p
            failed += f
        if not files:
            passed, failed = (1, 0) if exit_code == 0 else (0, 1)
        elif exit_code != 0 and failed == 0:
            failed = 1
        lines.append(f"  {leg.name}: {passed} passed, {failed} failed (exit {exit_code})")
        total_passed += passed
        total_failed += failed
    print("\n".join(lines))
    print(f"ci: {total_passed} passed, {total_failed} failed")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
