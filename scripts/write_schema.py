"""Regenerate docs/report.schema.json from the Report model.

    python scripts/write_schema.py            # rewrite docs/report.schema.json
    python scripts/write_schema.py --check    # exit 1 if it is out of date
    python scripts/write_schema.py PATH       # write somewhere else
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.reporters.json import schema_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=ROOT / "docs" / "report.schema.json")
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = parser.parse_args(argv)
    text = schema_text()
    current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
    if args.check:
        if current != text:
            print(f"{args.path} is out of date; run: python scripts/write_schema.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        args.path.parent.mkdir(parents=True, exist_ok=True)
        args.path.write_bytes(text.encode("utf-8"))
        print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
