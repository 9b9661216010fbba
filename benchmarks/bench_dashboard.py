"""Benchmark: the dashboard at 10k people, in headless Chromium.

Generates an organisation (10,000 people, 100 events each by default), starts the
dashboard on it (timing the one-off analysis), then opens every page in Debian's
Chromium and times until the page's content is drawn and the network is idle; and
times a talent review from pressing the button to the matrix.

    python benchmarks/bench_dashboard.py [--people 10000] [--events-per-person 100]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--events-per-person", type=int, default=100)
    args = parser.parse_args()

    from playwright.sync_api import expect, sync_playwright
    from werkzeug.serving import make_server

    import ona
    from ona.dashboard import create_app

    with tempfile.TemporaryDirectory() as folder:
        org = ona.generate_organisation(args.people, seed=4242, events_per_person=args.events_per_person)
        ona.write_organisation(org, folder)
        started = time.perf_counter()
        app = create_app(folder, users={})
        analysed = time.perf_counter() - started
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = make_server("127.0.0.1", port, app.server, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{port}"
        person = org.truth["hidden_high_performers"][0]
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url + "/")  # warm the browser cache of Dash's scripts
            page.wait_for_load_state("networkidle")
            for path in ["/", "/people", f"/person/{person}", "/tribes", "/review", "/hidden"]:
                t = time.perf_counter()
                page.goto(url + path)
                page.wait_for_selector(".page", timeout=60000)
                page.wait_for_load_state("networkidle")
                rows.append((path if not path.startswith("/person") else "/person/<id>", time.perf_counter() - t))
            page.goto(url + "/review")
            page.wait_for_selector("#review-run")
            page.wait_for_load_state("networkidle")
            t = time.perf_counter()
            page.click("#review-run")
            expect(page.locator("#review-flags")).to_be_visible(timeout=60000)
            page.wait_for_load_state("networkidle")
            rows.append(("talent review (7 x 12), button to matrix", time.perf_counter() - t))
            browser.close()
        server.shutdown()
    print(f"\nDashboard at {args.people:,} people, {args.people * args.events_per_person:,} events: "
          f"analysed once at start in {analysed:.1f} s\n")
    print(f"browser console errors: {len(errors)}" + (f" (first: {errors[0][:200]})" if errors else ""))
    print("| page | seconds to drawn and idle |")
    print("|---|---|")
    for path, seconds in rows:
        print(f"| {path} | {seconds:.2f} |")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
