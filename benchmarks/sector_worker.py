"""One measuring round of `benchmarks.sector` in a fresh process:
`python -m benchmarks.sector_worker DATABASE_URL REPEAT EXPLAIN OUT.json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.loadkit import setup_django


def main() -> None:
    url, repeat, explain_top, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    setup_django(url)
    # Django is configured only now: the cases import the portal's models.
    from benchmarks.sector_cases import explain, measure

    data = measure(repeat, explain_top)
    data["explained"] = [{**item, "plan": explain(item["sql"])} for item in data.pop("slow")]
    if not explain_top:
        data.pop("explained")
    Path(out).write_text(json.dumps(data))


if __name__ == "__main__":
    main()
