"""`python -m qidesk` and the `qidesk` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from qidesk.app import main as app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())
