#!/usr/bin/env python3
"""End-to-end test of CityCarbon in a real headless Chromium.

Starts `citycarbon serve` on a fresh demo workspace with an editor and an admin account,
then walks what the issue asks: open the dashboard, switch to 中文 and back, sign in, upload
a CSV with errors and see the error table, upload a good one and commit its preview, publish
as admin, and see the public chart change; then an HSL planner updates plan action 22, which
the public sees only after the climate office approves it.

    python3 Tests/Browser/e2e.py --binary .build/debug/citycarbon [--chromium /usr/bin/chromium] [--screenshots DIR]
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import expect, sync_playwright

PASSWORD = "e2e password long enough"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(binary, *args, stdin=None, workdir):
    result = subprocess.run([binary, *args], input=stdin, text=True, capture_output=True, cwd=workdir)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {result.stderr}")
    return result.stdout


def sector_bar(page, sector):
    """The accessible text of a sector's bar in the dashboard's sector chart, e.g. 'Stationary energy: 11.28 Mt CO2e'."""
    titles = page.locator("svg[aria-labelledby='sectors-t sectors-d'] title").all_text_contents()
    return next(t for t in titles if t.startswith(sector + ":"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--screenshots")
    parser.add_argument("--database", help="an empty PostgreSQL database (postgres://…) to walk instead of a fresh SQLite file")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)

    workdir = tempfile.mkdtemp(prefix="citycarbon-e2e-")
    database = options.database or os.path.join(workdir, "e2e.sqlite")
    run(binary, "init", "--demo", "--database", database, workdir=workdir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", "--database", database, "--port", str(port)], cwd=workdir,
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "serve.log"), "w"))
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(base + "/api/v1/jurisdictions?level=district") as response:
            district = json.load(response)["items"][0]["name"]
        run(binary, "account", "add", "chief", "--role", "admin", "--database", database, stdin=PASSWORD + "\n", workdir=workdir)
        run(binary, "account", "add", "li.wei", "--role", "editor", "--organisation", f"{district} office", "--jurisdiction", district,
            "--database", database, stdin=PASSWORD + "\n", workdir=workdir)
        run(binary, "account", "add", "hsl.planner", "--role", "editor", "--organisation", "HSL", "--jurisdiction", district,
            "--database", database, stdin=PASSWORD + "\n", workdir=workdir)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=options.chromium, headless=True, args=["--no-sandbox"])
            page = browser.new_page(locale="en-GB")
            console_errors = []
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            step = 0

            def shot(name):
                nonlocal step
                step += 1
                if options.screenshots:
                    os.makedirs(options.screenshots, exist_ok=True)
                    page.screenshot(path=os.path.join(options.screenshots, f"{step:02d}-{name}.png"), full_page=True)
                print(f"ok {step} - {name}")

            # The dashboard, and the language switch there and back.
            page.goto(base + "/")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.locator("svg[aria-labelledby='trend-t trend-d']")).to_be_visible()
            before = sector_bar(page, "Stationary energy")
            shot("dashboard")
            page.click("a.lang[hreflang='zh-Hans']")
            expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
            expect(page.locator("#trend-t")).to_contain_text("排放")
            shot("dashboard in Chinese")
            page.click("a.lang[hreflang='en']")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            shot("dashboard back in English")

            # The editor signs in from the public navigation.
            page.click("text=Staff sign-in")
            expect(page).to_have_url(re.compile(r"/login"))
            page.fill("#username", "li.wei")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator("h1")).to_have_text("Staff home")
            shot("editor signed in")

            # A CSV with errors: the error table, nothing stored.
            page.click("nav >> text=Upload data")
            bad = f"year,jurisdiction,gpc_ref,fuel,amount,unit\n2023,{district},I.1.1,natral_gas,100,TJ\n2023,{district},I.63,gas_diesel_oil,5,TJ\n"
            page.set_input_files("#file", files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
            page.select_option("#existing", "append")
            page.click("text=Check and preview")
            table = page.locator("table.issues")
            expect(table).to_be_visible()
            expect(table).to_contain_text("natral_gas")
            expect(table).to_contain_text("natural_gas")
            expect(table).to_contain_text("I.6.3")
            shot("error table")

            # A good CSV: the preview, then commit.
            good = f"year,jurisdiction,gpc_ref,fuel,amount,unit,ad_quality,source\n2023,{district},I.1.1,natural_gas,20000,TJ,H,e2e meter readings\n"
            page.set_input_files("#file", files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": good.encode()}])
            page.select_option("#existing", "append")
            page.click("text=Check and preview")
            expect(page.locator("#upload-summary")).to_contain_text("1 rows for 2023")
            expect(page.locator("table.preview")).to_contain_text("Stationary energy")
            shot("preview")
            page.click("#commit")
            expect(page.locator(".notice")).to_contain_text("1 rows stored")
            expect(page.locator("tr[data-year='2023']")).to_contain_text("newer draft")
            shot("committed as draft")

            # Not public yet.
            page.goto(base + "/")
            assert sector_bar(page, "Stationary energy") == before, "an unpublished draft reached the public dashboard"

            # The admin publishes.
            page.goto(base + "/staff")
            page.click("nav >> text=Sign out")
            page.goto(base + "/staff")
            page.fill("#username", "chief")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            # Publishing asks first: the public totals now and after, and who computed the draft.
            page.click("a[data-action='publish-2023']")
            expect(page.locator("#confirm-summary")).to_contain_text("BASIC+")
            expect(page.locator("#drafted-by")).to_contain_text("Computed")
            shot("publish confirmation")
            page.click("button[data-action='publish-2023']")
            expect(page.locator(".notice")).to_contain_text("2023 inventory is published")
            shot("published")

            # The public chart changed: 20,000 TJ of gas at 56.1 t CO2/TJ is about 1.12 Mt more.
            page.goto(base + "/")
            after = sector_bar(page, "Stationary energy")
            old, new = (float(bar.split(": ")[1].split(" ")[0]) for bar in (before, after))
            assert 1.10 < new - old < 1.14, f"the stationary energy bar went from {before} to {after}"
            shot("public chart changed")
            # An HSL planner updates action 22 of the Helsinki plan and submits it for review.
            page.goto(base + "/staff")
            page.click("nav >> text=Sign out")
            page.goto(base + "/staff")
            page.fill("#username", "hsl.planner")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.click("nav >> text=Plans")
            page.click("text=Carbon Neutral Helsinki 2035 Action Plan")
            mine = page.locator("table#mine")
            expect(mine).to_contain_text("22.")
            page.click("tr[data-action='22'] >> a.edit")
            page.select_option("#status", "in_progress")
            page.locator("#tasks input[name=task_name]").first.fill("Order the 2027 electric buses")
            page.locator("#tasks input[name=task_due]").first.fill("2027-03-31")
            # The plan estimates 60,000 t for 2030 (demo/action-estimates.csv); HSL revises it.
            page.locator("#reductions tr:has(input[name=reduction_year][value='2030']) input[name=reduction_t]").fill("12000")
            shot("editor updates action 22")
            page.click("#submit")
            expect(page.locator(".notice")).to_contain_text("Submitted for review")
            expect(page.locator("#draft-state")).to_contain_text("submitted for review")
            shot("submitted for review")

            # The public does not see it yet.
            page.goto(base + "/plans/helsinki-2035/actions/22")
            expect(page.locator("main")).not_to_contain_text("Order the 2027 electric buses")

            # The climate office reviews the change and approves it.
            page.goto(base + "/staff")
            page.click("nav >> text=Sign out")
            page.goto(base + "/staff")
            page.fill("#username", "chief")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.click("nav >> text=Reviews")
            expect(page.locator("table#reviews")).to_contain_text("hsl.planner")
            page.click("table#reviews a")
            expect(page.locator("table#changes")).to_contain_text("Order the 2027 electric buses")
            shot("review")
            page.click("#approve")
            expect(page.locator(".notice")).to_contain_text("Action 22 is published")

            # Now the public sees the update: its status, its task and its expected reduction.
            page.goto(base + "/plans/helsinki-2035/actions/22")
            main = page.locator("main")
            expect(main).to_contain_text("Order the 2027 electric buses")
            expect(main).to_contain_text("in progress")
            expect(main).to_contain_text("12,000 t CO2e")
            shot("public sees the approved action")

            # The approved reduction flows into the planned pathway: the plan is the pathway's input.
            page.goto(base + "/pathways/demo-planned")
            expect(page.locator("table#wedges tr[data-wedge='helsinki-22']")).to_contain_text("12,000")
            expect(page.locator("#pathway-chart svg.chart.large")).to_be_visible()
            expect(page.locator("#macc svg.chart.large")).to_be_visible()
            shot("pathway of the adopted plan")

            # The climate office strengthens the electric-vehicle lever; the preview shows the new wedge.
            page.goto(base + "/staff/pathways/demo-planned")
            wedge = page.locator("#preview table#wedges tr[data-wedge='electric-vehicles'] td").last
            before_ev = wedge.inner_text()
            page.locator("#levers tr[data-measure='electric-vehicles'] input[name^=amount]").fill("0.95")
            page.click("#edit-scenario button[type=submit]")
            expect(page.locator(".notice")).to_contain_text("Saved")
            after_ev = page.locator("#preview table#wedges tr[data-wedge='electric-vehicles'] td").last.inner_text()
            assert float(after_ev.replace(",", "")) > float(before_ev.replace(",", "")), f"EV wedge {before_ev} → {after_ev}"
            shot("scenario lever edited")

            # Live monitoring: the public nowcast, then a building system's key sends an impossible reading
            # (3,900 kWh in a quarter-hour on a 4,000 kW connection) and the office sees the alert.
            page.goto(base + "/monitoring")
            expect(page.locator("#districts")).to_contain_text("Westfield")
            expect(page.locator("#now svg.chart.large")).to_be_visible()
            shot("live monitoring")
            key = run(binary, "key", "create", "tower-bms", "--role", "integration", "--organisation", "Acme Property",
                      "--database", database, workdir=workdir).strip()
            quarter = int(time.time()) // 900 * 900
            request = urllib.request.Request(base + "/api/v1/readings?source=tower-bms", method="POST",
                                             data=f"datastream,time,value\nnb-tower/elec,{quarter},3900\n".encode(),
                                             headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv"})
            with urllib.request.urlopen(request) as response:
                report = json.load(response)
            assert report["flagged"].get("impossible") == 1, report
            page.goto(base + "/staff/monitoring")
            expect(page.locator("tr[data-site='wf-site-b']")).to_have_class(re.compile("outlier"))
            expect(page.locator("tr[data-site='wf-site-a']")).not_to_have_class(re.compile("outlier"))
            page.click("tr[data-site='wf-site-b'] a")
            expect(page.locator("section[data-datastream='wf-site-b/diesel']")).to_be_visible()
            expect(page.locator("#intensity")).to_contain_text("rank 2 of 2")
            shot("the wasteful construction site")
            page.goto(base + "/staff/monitoring/alerts")
            alert = page.locator("tr[data-kind='impossible']").first
            expect(alert).to_contain_text("nb-tower/elec")
            alert.locator("button").click()
            expect(page.locator("tr[data-kind='impossible']")).to_have_count(0)
            shot("alert acknowledged")

            # The refused upload answers 422 by design; anything else in the console is a fault.
            unexpected = [m for m in console_errors if "status of 422" not in m]
            assert not unexpected, f"console errors: {unexpected}"
            browser.close()
        print(f"e2e: passed ({before} → {after})")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
