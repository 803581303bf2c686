#!/usr/bin/env python3
"""Every public page on a phone and on a laptop, in every language, in a real headless Chromium.

Crawls the public site from the dashboard (same-origin links, staff and API routes left out)
and asserts on each page, at 390 px and at 1366 px wide and in each locale:
  - nothing scrolls sideways (`scrollWidth <= innerWidth`): wide tables scroll inside their box;
  - a skip link leads past the menu to the page's main content;
  - axe-core finds no critical and no serious violation (at 390 px, in English and Chinese);
  - in English and Chinese at both widths, in Finnish (a third language, only a file) at 390 px;
  - the language chosen on one page is kept by every later page, whatever the browser's own
    language, without a `lang` in their addresses;
  - with --words, a Chinese page has none of a list of English words that generated text brings;
  - in every chart shown, no text box overlaps another or leaves the chart, and text renders at
    11 px or more on a laptop and 10 px or more on a phone.

Pages that differ only in an identifier or a filter value are sampled: the first three of each
shape are walked, e.g. three actions of a plan rather than 147.

    python3 Tests/Browser/layout.py --base http://127.0.0.1:8080 [--chromium PATH] [--screenshots DIR] [--limit N]
        [--staff USER:PASSWORD]

With --staff, the staff pages an admin reaches are walked too, signed in, with the same checks
at 390 px.
"""
import argparse
import multiprocessing
import os
import re
import shutil
import sys
import urllib.parse

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

WIDTHS = (390, 1366)
LOCALES = ("en", "zh-Hans", "fi")
# Finnish proves that a language is only a file; its long words are checked where they are
# likeliest to break a page, on a phone, which keeps the walk within CI's time.
LOCALE_WIDTHS = {"fi": (390,)}
AXE_LOCALES = ("en", "zh-Hans")
# English words that generated text would bring onto a Chinese page; names of places and
# people in the demo data are not in this list.
ENGLISH = re.compile(r"\b(published|inventory|the|and|of|Gap|Met|target|Scenario|not started|updated|never|per|Mt|kt)\b")


def public(base, href, staff=False):
    url = urllib.parse.urljoin(base, href)
    parts = urllib.parse.urlsplit(url)
    if parts.netloc != urllib.parse.urlsplit(base).netloc:
        return None
    if staff:
        # Evidence files (/files/) download rather than render.
        if not parts.path.startswith("/staff") or "sign-out" in parts.path or "download" in parts.path or "/files/" in parts.path:
            return None
    elif parts.path.startswith(("/staff", "/api/", "/assets", "/healthz", "/metrics", "/sign-in")):
        return None
    if re.search(r"\.(csv|xlsx|json|geojson|svg|png|pdf)$", parts.path):
        return None
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "lang"]
    return urllib.parse.urlunsplit(("", "", parts.path, urllib.parse.urlencode(query), ""))


def shape(path):
    """A page's shape: its path with identifiers and filter values left out."""
    # A district's page is named by the district, not a number: all of them are one shape.
    path = re.sub(r"^/districts/[^/?]+", "/districts/#", path)
    return re.sub(r"=[^&]*", "=", re.sub(r"/[^/?]*\d[^/?]*", "/#", path))


def crawl(page, base, start, limit, staff, per_shape=3):
    """Every page reached by links from `start`, sampled: pages of one shape (differing only in
    an identifier or a filter value) are walked, and followed, `per_shape` of each."""
    seen, queue, shapes = set(), [start], {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or len(shapes.get(shape(path), [])) >= per_shape:
            continue
        seen.add(path)
        response = page.goto(base + path)
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        shapes.setdefault(shape(path), []).append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = public(base + path, href, staff)
            if target and target not in seen:
                queue.append(target)
    return sorted(p for group in shapes.values() for p in group)


def sign_in(browser, base, user, password):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/staff")
    page.fill("#username", user)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    state = context.storage_state()
    context.close()
    return state


# Every visible chart's text boxes, in CSS pixels: overlaps, boxes outside the chart, and
# text too small to read at this width.
CHART_TEXT = """(minimum) => {
    const out = [];
    for (const svg of document.querySelectorAll('svg.chart')) {
        const frame = svg.getBoundingClientRect();
        if (!frame.width || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) continue;
        const scale = frame.width / svg.viewBox.baseVal.width;
        const name = svg.getAttribute('aria-labelledby') || svg.className.baseVal;
        const boxes = [...svg.querySelectorAll('text')].map(t => [t, t.getBoundingClientRect()]).filter(([t, r]) => r.width > 0);
        for (const [t, r] of boxes) {
            const px = parseFloat(getComputedStyle(t).fontSize) * scale;
            if (px < minimum) out.push(`${name}: "${t.textContent}" is ${px.toFixed(1)} px`);
            if (r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 || r.bottom > frame.bottom + 1)
                out.push(`${name}: "${t.textContent}" is cut by the chart's edge`);
        }
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i][1], b = boxes[j][1];
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 1 && h > 2) out.push(`${name}: "${boxes[i][0].textContent}" overlaps "${boxes[j][0].textContent}"`);
        }
    }
    return out.slice(0, 5);
}"""


def jobs(pages, state=None, widths=WIDTHS):
    """One job per language and width: the pages to walk in one browser context."""
    return [(locale, width, pages, state) for locale in LOCALES for width in widths if width in LOCALE_WIDTHS.get(locale, widths)]


def walk(job, base, options, failures, axe, browser):
    locale, width, pages, state = job
    # The browser asks for the other language; the reader chooses this one once, on a page
    # that is not the dashboard, and every later page keeps it.
    other = "zh-CN" if locale == "en" else "en-GB"
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=other, storage_state=state)
    page = context.new_page()
    page.goto(base + ("/staff?lang=" if state else "/plans?lang=") + locale)
    for path in pages:
        response = page.goto(base + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        lang = page.evaluate("document.documentElement.lang")
        if not lang.startswith(locale.split("-")[0]):
            failures.append(f"{path} at {width} px: chosen {locale}, the page is in {lang}")
        if not page.evaluate("!!document.querySelector('a.skip[href=\"#main\"]') && !!document.getElementById('main')"):
            failures.append(f"{path}: no skip link to the page's main content")
        wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'))
                .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''))""")
            failures.append(f"{path} ({locale}) at {width} px scrolls sideways: {wide[0]} > {wide[1]} ({', '.join(culprits)})")
        for defect in page.evaluate(CHART_TEXT, 11 if width >= 1000 else 10):
            failures.append(f"{path} ({locale}) at {width} px: {defect}")
        if options.words and locale == "zh-Hans":
            # Text marked as English (lang="en": a plan written in English, the API
            # document) is content, not generated text; everything else must be Chinese.
            texts = page.evaluate("""() => {
                const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                while (walker.nextNode()) {
                    const node = walker.currentNode, host = node.parentElement;
                    if (!host || host.closest('script, style, code, [lang^="en"]') || !host.getClientRects().length) continue;
                    if (node.textContent.trim()) out.push(node.textContent.trim());
                }
                return out;
            }""")
            english = sorted({t for t in texts if ENGLISH.search(t)})
            if english:
                failures.append(f"{path} (zh-Hans) has English: " + " | ".join(e[:60] for e in english[:4]))
        # axe-core in both languages the platform was written for, on a phone; a third language
        # is the same markup with other words.
        if width == WIDTHS[0] and locale in AXE_LOCALES:
            results = axe.run(page)
            for violation in results.response["violations"]:
                if violation["impact"] in ("critical", "serious"):
                    failures.append(f"{path} ({locale}): axe {violation['impact']} {violation['id']}: "
                                    f"{violation['help']} ({len(violation['nodes'])} elements)")
        if options.screenshots:
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "dashboard"
            page.screenshot(path=os.path.join(options.screenshots, f"{name}-{locale}-{width}.png"), full_page=True)
    context.close()


def worker(arguments):
    """A process with its own browser, walking its share of the jobs: Chromium renders while the
    other process waits for the server, so two of them use two cores."""
    share, base, options = arguments
    failures = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=options.chromium, headless=True, args=["--no-sandbox"])
        axe = Axe()
        for job in share:
            walk(job, base, options, failures, axe, browser)
        browser.close()
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--screenshots")
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--staff", help="an admin's USER:PASSWORD: walk the staff pages too")
    parser.add_argument("--words", action="store_true", help="also check Chinese pages for generated English words")
    parser.add_argument("--processes", type=int, default=2, help="browsers walking at once")
    parser.add_argument("--per-shape", type=int, default=3, help="pages walked of each shape (same path but for an identifier)")
    options = parser.parse_args()
    base = options.base.rstrip("/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=options.chromium, headless=True, args=["--no-sandbox"])
        # The crawl: every public page the dashboard leads to.
        pages = crawl(browser.new_page(), base, "/", options.limit, staff=False, per_shape=options.per_shape)
        print(f"layout: {len(pages)} public pages")
        todo = jobs(pages)
        if options.staff:
            user, password = options.staff.split(":", 1)
            state = sign_in(browser, base, user, password)
            staff = crawl(browser.new_context(storage_state=state).new_page(), base, "/staff", options.limit, staff=True,
                          per_shape=options.per_shape)
            print(f"layout: {len(staff)} staff pages")
            # Staff pages on a phone only: their tables scroll in boxes at every width, and the
            # walk stays within CI's time.
            todo += jobs(staff, state=state, widths=WIDTHS[:1])
        browser.close()
    # Longest jobs first, each to the process with the least work so far.
    shares = [[] for _ in range(max(1, options.processes))]
    for job in sorted(todo, key=lambda j: -len(j[2])):
        min(shares, key=lambda share: sum(len(j[2]) for j in share)).append(job)
    with multiprocessing.get_context("spawn").Pool(len(shares)) as pool:
        failures = [f for part in pool.map(worker, [(share, base, options) for share in shares]) for f in part]
    for failure in failures:
        print("not ok:", failure)
    print(f"layout: {len(LOCALES)} languages × {len(WIDTHS)} widths, {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
