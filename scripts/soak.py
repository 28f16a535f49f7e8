#!/usr/bin/env python3
"""Soak test (issue #11): N clients for a fixed time against a running `emis serve` on
127.0.0.1 only, on a mix of pages, API reads and API writes, while a school keeps importing
its roll through the web import page. Every 10 s it samples the window's request count,
errors and p50/p99 latency, and the server's memory (VmRSS and its private part RssAnon,
since SQLite's mmap puts shared file pages in VmRSS), then prints the table and a verdict:
0 errors, and private memory flat within 10% (mean of the last minute against the first
minute after warm-up).

    python3 scripts/soak.py --port 18282 --pid PID --seconds 600 --clients 50 \
        --admin NAME:PASS --school NAME:PASS --school-code CODE --roll FILE.csv

Run by scripts/soak.sh, which builds, loads the demo county and creates the accounts.
Standard library only: no package to install.
"""

import argparse
import http.client
import json
import random
import re
import sys
import threading
import time
import urllib.parse

HOST = "127.0.0.1"  # loopback only, by design


class Session:
    """One signed-in browser: a keep-alive connection, the session cookie and CSRF token."""

    def __init__(self, port, username, password):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies = {}
        self.csrf = ""
        page = self.request("GET", "/login")[1]
        token = re.search(r'name="_csrf" value="([0-9a-f]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "_csrf": token, "next": "/"}
        )
        status, _ = self.request(
            "POST", "/login", form, "application/x-www-form-urlencoded"
        )
        if status != 303:
            raise SystemExit(f"login of {username} failed: {status}")
        self.must_change = self.last_location == "/password"
        home = self.request("GET", "/")[1]
        found = re.search(r'name="_csrf" value="([0-9a-f]+)"', home)
        self.csrf = found.group(1) if found else ""

    def request(self, method, path, body=None, content_type=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        if method == "POST" and self.csrf:
            headers["x-csrf-token"] = self.csrf
        if isinstance(body, str):
            body = body.encode()
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                # A keep-alive connection the server closed: one fresh retry.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                if attempt:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            pair = value.split(";", 1)[0]
            if "=" in pair:
                k, v = pair.split("=", 1)
                if v:
                    self.cookies[k] = v
                else:
                    self.cookies.pop(k, None)
        self.last_location = response.headers.get("Location", "")
        return response.status, data.decode("utf-8", "replace")

    def change_password(self, old, new):
        page = self.request("GET", "/password")[1]
        token = re.search(r'name="_csrf" value="([0-9a-f]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"old": old, "new": new, "confirm": new, "_csrf": token}
        )
        status, _ = self.request("POST", "/password", form, "application/x-www-form-urlencoded")
        if status != 303:
            raise SystemExit(f"password change failed: {status}")


NEW_PASSWORD = "Soak#Xupu-2021"


def signed_in(port, username, one_time, count):
    """`count` sessions of an account created with a one-time password (changed first)."""
    first = Session(port, username, one_time)
    if first.must_change:
        first.change_password(one_time, NEW_PASSWORD)
        first = Session(port, username, NEW_PASSWORD)
        password = NEW_PASSWORD
    else:
        password = one_time
    return [first] + [Session(port, username, password) for _ in range(count - 1)]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.errors = []
        self.total = 0
        self.total_errors = 0
        self.imports = 0

    def record(self, label, status, seconds, ok):
        with self.lock:
            self.latencies.append(seconds)
            self.total += 1
            if not ok:
                self.total_errors += 1
                self.errors.append(f"{label}: HTTP {status}")

    def take(self):
        with self.lock:
            latencies, errors = self.latencies, self.errors
            self.latencies, self.errors = [], []
            return latencies, errors


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon"):
                fields[key] = int(value.split()[0]) // 1024
    return fields.get("VmRSS", 0), fields.get("RssAnon", 0)


def client_loop(session, school, names, stats, deadline, seed):
    rng = random.Random(seed)
    reads = [
        "/",
        f"/students?school={school}",
        "/students?q=" + urllib.parse.quote(rng.choice(names)),
        "/classes",
        "/schools",
        "/safety",
        "/safety/hazards",
        "/enrollment",
        "/aid",
        "/dropout",
        f"/api/v1/students?school={school}&per_page=50",
        "/api/v1/schools?per_page=50",
        "/api/v1/safety/hazards",
    ]
    n = 0
    while time.time() < deadline:
        n += 1
        if n % 20 == 0:
            # An API write: a hazard found today at the school.
            body = json.dumps(
                {
                    "school": school,
                    "place": f"教学楼{rng.randint(1, 9)}楼走廊",
                    "category": "消防",
                    "grade": "一般",
                    "description": "灭火器压力不足（压力测试）",
                    "found_on": time.strftime("%Y-%m-%d"),
                    "inspection": "",
                },
                ensure_ascii=False,
            )
            label, started = "POST /api/v1/safety/hazards", time.time()
            status, _ = session.request(
                "POST", "/api/v1/safety/hazards", body, "application/json"
            )
            stats.record(label, status, time.time() - started, status == 200)
            continue
        path = rng.choice(reads)
        started = time.time()
        status, _ = session.request("GET", path)
        stats.record("GET " + path, status, time.time() - started, status == 200)


def import_loop(session, roll, stats, deadline):
    """A school re-imports its roll through the web page, preview then confirm."""
    boundary = "SOAKBOUNDARY"
    with open(roll, "rb") as f:
        data = f.read()
    while time.time() < deadline:
        parts = []
        for name, value in (("kind", "students"), ("term", "2021-autumn")):
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="roll.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
        )
        body = b"".join(parts) + data + f"\r\n--{boundary}--\r\n".encode()
        started = time.time()
        status, page = session.request(
            "POST",
            f"/import/preview?_csrf={session.csrf}",
            body,
            f"multipart/form-data; boundary={boundary}",
        )
        stats.record("POST /import/preview", status, time.time() - started, status == 200)
        token = re.search(r'name="upload" value="([^"]+)"', page)
        if status == 200 and token:
            started = time.time()
            form = urllib.parse.urlencode({"upload": token.group(1), "_csrf": session.csrf})
            status, page = session.request(
                "POST", "/import/confirm", form, "application/x-www-form-urlencoded"
            )
            # The confirmation runs as a background job: its page shows a progress bar
            # until the result replaces it (read as the page's refresh would, each 0.5 s).
            job = session.last_location if status == 303 else ""
            while job.startswith("/jobs/") and time.time() - started < 120:
                status, page = session.request("GET", job)
                if status != 200 or 'id="job-progress"' not in page:
                    break
                time.sleep(0.5)
            done = status == 200 and 'id="job-progress"' not in page
            stats.record("POST /import/confirm", status, time.time() - started, done)
            with stats.lock:
                stats.imports += 1
        time.sleep(5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--admin", required=True, help="NAME:ONE-TIME-PASSWORD of a county account")
    parser.add_argument("--school", required=True, help="NAME:ONE-TIME-PASSWORD of a school account")
    parser.add_argument("--school-code", required=True)
    parser.add_argument("--roll", required=True, help="the school's roll as csv")
    parser.add_argument("--warmup", type=int, default=30, help="seconds before memory is compared")
    parser.add_argument(
        "--max-growth", type=float, default=0.10, help="allowed growth of private memory after warm-up"
    )
    args = parser.parse_args()

    admin_name, admin_pass = args.admin.split(":", 1)
    school_name, school_pass = args.school.split(":", 1)
    stats = Stats()
    deadline = time.time() + args.seconds
    names = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "舒婷", "向阳"]
    sessions = signed_in(args.port, admin_name, admin_pass, args.clients)
    threads = [
        threading.Thread(
            target=client_loop,
            args=(s, args.school_code, names, stats, deadline, i),
            daemon=True,
        )
        for i, s in enumerate(sessions)
    ]
    importer = signed_in(args.port, school_name, school_pass, 1)[0]
    threads.append(
        threading.Thread(target=import_loop, args=(importer, args.roll, stats, deadline), daemon=True)
    )
    started = time.time()
    for t in threads:
        t.start()

    rows = []
    all_errors = []
    while True:
        time.sleep(max(0.0, min(10.0, deadline - time.time())))
        latencies, errors = stats.take()
        all_errors.extend(errors)
        rss, anon = memory(args.pid)
        elapsed = time.time() - started
        rows.append(
            (
                round(elapsed),
                len(latencies),
                len(errors),
                percentile(latencies, 0.50) * 1000,
                percentile(latencies, 0.99) * 1000,
                rss,
                anon,
            )
        )
        r = rows[-1]
        print(
            f"{r[0]:>5}s {r[1]:>7} req {r[2]:>3} err  p50 {r[3]:7.1f} ms  p99 {r[4]:7.1f} ms  "
            f"RSS {r[5]:>5} MB  anon {r[6]:>5} MB",
            flush=True,
        )
        if time.time() >= deadline:
            break
    for t in threads:
        t.join(timeout=60)

    print()
    print("| t (s) | requests | errors | p50 (ms) | p99 (ms) | RSS (MB) | private (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.1f} | {r[4]:.1f} | {r[5]} | {r[6]} |")
    # Flat = the mean private memory of the last minute within the allowed growth of the first
    # minute after warm-up: single samples swing with the heavy pages in flight at that moment,
    # a leak shows as a rising mean.
    warm = [r for r in rows if r[0] >= args.warmup] or rows
    first_minute, last_minute = warm[:6], warm[-6:]
    first = sum(r[6] for r in first_minute) / len(first_minute)
    last = sum(r[6] for r in last_minute) / len(last_minute)
    peak = max(r[6] for r in warm)
    growth = (last - first) / first if first else 0.0
    print()
    print(
        f"total {stats.total} requests ({stats.total / (time.time() - started):.0f}/s), "
        f"{stats.total_errors} errors, {stats.imports} web imports; private memory after warm-up: "
        f"first minute {first:.0f} MB, last minute {last:.0f} MB ({growth * 100:+.1f}%), "
        f"samples {min(r[6] for r in warm)}–{peak} MB"
    )
    for e in sorted(set(all_errors))[:20]:
        print("  error:", e)
    ok = stats.total_errors == 0 and growth <= args.max_growth
    print("SOAK", "PASSED" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
