"""The `disclosure` command: a thin layer over `main(argv) -> int`.

Machine output (--json) alone goes to stdout; messages go to stderr; an input that cannot be
processed gives one line and exit code 2, with the traceback only under --verbose.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from pathlib import Path

from ocr.errors import DisclosureError, ExitCode

log = logging.getLogger("disclosure")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="disclosure", description="Read the statutory tables of "
                                     "government information disclosure annual reports and verify them.")
    sub = parser.add_subparsers(dest="command", required=True)
    inspect = sub.add_parser("inspect", help="read one report and show its fields and rule results")
    inspect.add_argument("file", type=Path)
    inspect.add_argument("--json", action="store_true", help="print the result as one JSON object")
    for p in (parser, inspect):
        p.add_argument("-v", "--verbose", action="store_true", help="more messages, and tracebacks")
        p.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    return parser


def _configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr, format="disclosure: %(message)s")


def _inspect(args: argparse.Namespace) -> int:
    from rich.console import Console

    from table_recon.report import error_report
    from workers.pipeline import InspectOptions, inspect_file
    from workers.render import render

    options = InspectOptions()
    try:
        report = inspect_file(args.file, options)
    except DisclosureError as err:
        print(f"disclosure: error: {err}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        if args.json:
            print(json.dumps(error_report(args.file.name, str(err), "input").as_dict(), ensure_ascii=False))
        return int(err.exit_code)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        render(report, Console(file=sys.stdout, highlight=False))
    if report.status.value == "error":
        print(f"disclosure: error: {report.warnings[0]}", file=sys.stderr)
    return int(report.exit_code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure_logging(args.verbose, args.quiet)
    try:
        if args.command == "inspect":
            return _inspect(args)
    except KeyboardInterrupt:
        print("disclosure: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except Exception as err:  # a bug must still give one line, not a traceback, unless asked
        print(f"disclosure: internal error: {type(err).__name__}: {err} (run with --verbose for details)",
              file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return int(ExitCode.BAD_INPUT)
    return int(ExitCode.BAD_INPUT)


def entry_point() -> None:
    sys.exit(main())
