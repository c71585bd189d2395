"""Start `make run` on a fresh SQLite database and check what a new user sees.

Fetches the home page, then signs in to the admin with the demo logins `make run` printed and
checks the demo programme is there. Exits non-zero with a message on any failure.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

DEMO_PROGRAMME = "PMO Network Mentoring"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(message: str, output: list[str]) -> None:
    print("\n".join(output[-60:]))
    sys.exit(f"smoke test failed: {message}")


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()

    def admin_login(self, username: str, password: str) -> None:
        self.get("/admin/login/")
        self.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def main() -> None:
    port = free_port()
    env = {**os.environ, "PORT": str(port), "VAR_DIR": tempfile.mkdtemp(prefix="smoke-var-")}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        ["make", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 600
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                fail("`make run` stopped before serving", output)
            output.append(line.rstrip())
            if line.startswith("Serving on"):
                break
        logins = {}
        for line in output:
            if m := re.match(r"^login: (\S+) (\S+) (\S+)$", line):
                logins.setdefault(m[1], (m[2], m[3]))
        for role in ("staff", "coordinator", "mentor", "mentee"):
            if role not in logins:
                fail(f"no demo login printed for {role}", output)
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                status, home = Browser(base).get("/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            fail("the server never answered", output)
        if status != 200 or "Mentorship" not in home:
            fail(f"home page answered {status} without the product name", output)
        print(f"home page: {status}, {len(home)} bytes")

        for role in ("staff", "coordinator"):
            browser = Browser(base)
            browser.admin_login(*logins[role])
            status, page = browser.get("/admin/mentorship/programme/")
            if status != 200 or DEMO_PROGRAMME not in page:
                fail(f"the admin does not show the demo programme to the {role} login", output)
            status, page = browser.get("/admin/mentorship/mentorship/")
            rows = len(re.findall(r'<tr[^>]*>\s*<td class="action-checkbox">', page))
            print(f"admin as {role}: programme listed, {rows} mentorships on the first page")
            if rows == 0:
                fail("the demo has no mentorships in the admin", output)
        print("smoke test passed")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
