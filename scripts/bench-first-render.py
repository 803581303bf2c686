#!/usr/bin/env python3
"""First render of each public page after a data change, on a running server.

Each round republishes 2023 through the API (an audit event, so every cached page is stale),
waits past the page cache's freshness, then times one GET of each page. Prints the median
and the maximum per page over the rounds, and the page's size.

    citycarbon key create bench --role admin --database demo.sqlite     # prints KEY
    scripts/bench-first-render.py http://127.0.0.1:8080 KEY 15

Use a release build (swift build -c release): debug builds are many times slower.
"""
import statistics
import sys
import time
import urllib.request

PAGES = ["/", "/ioc", "/districts", "/districts/Northbank", "/methods", "/inventory/2023", "/plans/helsinki-2035",
         "/indicators", "/targets", "/assessments/2023", "/pathways", "/pathways/demo-planned", "/pathways/xiongan-2035",
         "/factors", "/monitoring"]


def main(base, key, rounds):
    times = {page: [] for page in PAGES}
    sizes = {}
    for _ in range(rounds):
        request = urllib.request.Request(base + "/api/v1/inventories/2023/publication", method="PUT",
                                         headers={"Authorization": "Bearer " + key})
        urllib.request.urlopen(request).read()
        time.sleep(0.4)
        for page in PAGES:
            start = time.perf_counter()
            body = urllib.request.urlopen(base + page).read()
            times[page].append((time.perf_counter() - start) * 1000)
            sizes[page] = len(body)
    for page in PAGES:
        values = sorted(times[page])
        print(f"{page:28s} median {statistics.median(values):7.1f} ms  max {values[-1]:7.1f} ms  {sizes[page] / 1024:6.1f} KB")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 15)
