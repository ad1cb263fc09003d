"""Command line: ``kiosk [run] | check-content | screenshots | print-test | set-pin | stats | --self-test``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk import __version__


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, not {text!r}") from None
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"size {text!r} is out of range")
    return width, height


MAX_DAYS = 3650  # ten years; far more would overflow the calendar


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, not {text!r}") from None
    if not 1 <= days <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_DAYS} days, not {days}")
    return days


def _global_options(parser: argparse.ArgumentParser, *, content: bool = True, run: bool = False,
                    default: object = None) -> None:
    """The options that may stand before or after the command (``kiosk --config F stats``
    or ``kiosk stats --config F``). On a subcommand they default to SUPPRESS, so a value
    given before the command is not overwritten by the subcommand's default."""
    parser.add_argument("--config", type=Path, default=default, metavar="FILE", help="the clinic's config file (TOML)")
    if content:
        parser.add_argument("--content", type=Path, default=default, metavar="DIR",
                            help="a content folder to use instead of the bundled one")
    if run:
        flag_default = False if default is None else default
        parser.add_argument("--windowed", action="store_true", default=flag_default,
                            help="run in a 1280x800 window instead of fullscreen")
        parser.add_argument("--self-test", action="store_true", default=flag_default,
                            help="load and render everything offscreen, then exit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Patient-education kiosk: thoracic medial branch block.",
        epilog="Options may come before or after the command: kiosk --config FILE set-pin and "
               "kiosk set-pin --config FILE do the same.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    _global_options(parser, run=True)
    commands = parser.add_subparsers(dest="command")

    def command(name: str, summary: str, *, content: bool = True, run: bool = False) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary)
        _global_options(sub, content=content, run=run, default=argparse.SUPPRESS)
        return sub

    command("run", "run the kiosk (the default)", run=True)
    check = command("check-content", "check a content folder; print file:line problems")
    check.add_argument("folder", nargs="?", type=Path, help="content folder (default: the bundled or configured one)")
    check.add_argument("--max-grade", type=float, default=7.0, help="English: highest Flesch-Kincaid grade per page")
    check.add_argument("--max-average-grade", type=float, default=6.0)
    check.add_argument("--min-huerta", type=float, default=75.0, help="Spanish: lowest Fernández-Huerta score per page")
    check.add_argument("--min-average-huerta", type=float, default=80.0)
    pin = command("set-pin", "set the staff PIN (stored only as a salted hash in the config file)", content=False)
    pin.add_argument("--stdin", action="store_true", help="read the PIN twice from standard input instead of the terminal")
    stats = command("stats", "print the anonymous usage figures", content=False)
    stats.add_argument("--csv", action="store_true", help="export every daily counter as CSV")
    stats.add_argument("--days", type=_days, default=7, help=f"how many days the summary covers, 1 to {MAX_DAYS} (default 7)")
    # Several kiosks (README, "Several kiosks"): one file per kiosk, added up at head office.
    stats_commands = stats.add_subparsers(dest="stats_command", metavar="{export,merge}")
    export = stats_commands.add_parser("export", help="write this kiosk's figures as KIOSK_ID.stats.json into a folder",
                                       description="write this kiosk's figures as KIOSK_ID.stats.json into a folder")
    _global_options(export, content=False, default=argparse.SUPPRESS)
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write to (created if missing)")
    merge = stats_commands.add_parser("merge", help="add up many kiosks' exported figures",
                                      description="add up the *.stats.json files in these folders (and below)")
    _global_options(merge, content=False, default=argparse.SUPPRESS)
    merge.add_argument("folders", nargs="+", type=Path, metavar="DIR")
    merge.add_argument("--by", choices=("day", "kiosk", "all"), default="day", help="add up per day (default), per kiosk, or in all")
    merge.add_argument("--csv", dest="merge_csv", type=Path, metavar="FILE", help="write the table as CSV to FILE ('-': standard output)")
    print_test = command("print-test", "print a sample handout (to the configured printer, or to a PDF)")
    print_test.add_argument("--pdf", type=Path, help="write the sample handout to this PDF file instead of printing")
    print_test.add_argument("--lang", default=None, help="language code of the sample (default: the default language)")
    print_test.add_argument("--topic", default=None, help="topic (procedure) folder name of the sample (default: the default topic)")
    shots = command("screenshots", "write one PNG per page")
    shots.add_argument("--out", type=Path, required=True)
    shots.add_argument("--size", type=_size, default=(1920, 1080), help="WIDTHxHEIGHT, default 1920x1080")
    shots.add_argument("--lang", action="append", help="language code (repeatable; default: all)")
    shots.add_argument("--topic", action="append", help="topic (procedure) folder name (repeatable; default: every topic offered)")
    shots.add_argument("--text-scale", type=float, choices=(1.0, 1.5, 2.0), default=1.0)
    shots.add_argument("--high-contrast", action="store_true")
    shots.add_argument("--at", type=float, metavar="SECONDS",
                       help="show moving stage pictures this many seconds in (default: their last frame)")
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line; run-only flags given with another command are an error, not ignored."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command not in (None, "run"):
        for flag, given in (("--self-test", args.self_test), ("--windowed", args.windowed)):
            if given:
                parser.error(f"{flag} applies only to running the kiosk, not to '{args.command}'")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command in (None, "run") and not args.self_test:
        from kiosk.core.heap import collector_off_for_start_up

        collector_off_for_start_up()
    from kiosk.core.resources import ResourceError

    try:
        return _dispatch(args)
    except ResourceError as exc:  # a damaged install: say what is missing, no traceback
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    # Qt is imported only below the Qt-free commands: check-content, set-pin and stats
    # must work (and stay quiet) where Qt cannot start.
    from kiosk.core.paths import executable_dir, system_config_dir
    from kiosk.core.resources import content_root
    from kiosk.core.settings import find_config, fit_to_content, load_settings
    from kiosk.logs import quiet_qt_logging, setup_logging

    config_path = find_config(args.config, executable_dir(), system_config_dir())
    settings = load_settings(config_path)
    # A kiosk starting shows its remembered welcome picture before anything else is loaded,
    # even the content package that fitting the settings to the content imports (~30 ms).
    quick_start = args.command in (None, "run") and not args.self_test and not args.windowed
    if args.command not in ("set-pin", "stats") and not quick_start:
        # A configured topic or language the content lacks is left out (and reported against
        # the config key); the others are served rather than the whole kiosk going out of order.
        folder = getattr(args, "folder", None)
        settings = fit_to_content(settings, folder or content_root(settings, args.content))
    if args.command == "check-content":
        from kiosk.checker import check_content
        from kiosk.core.readability import ReadingLimits

        for problem in settings.problems:
            print(problem)
        limits = ReadingLimits(args.max_grade, args.max_average_grade, args.min_huerta, args.min_average_huerta)
        code = check_content(args.folder or content_root(settings, args.content), settings, limits)
        if settings.problems:
            # The kiosk would run on defaults for these keys; IT must hear about it now.
            print(f"{len(settings.problems)} config problem(s) found in {config_path} (listed first).")
            return 1
        return code

    if args.command == "set-pin":
        from kiosk.staff_cli import set_pin

        return set_pin(config_path, args.stdin)
    if args.command == "stats" and getattr(args, "stats_command", None) == "export":
        from kiosk.staff_cli import export_stats_file

        return export_stats_file(settings, args.out)
    if args.command == "stats" and getattr(args, "stats_command", None) == "merge":
        from kiosk.staff_cli import merge_stats_files

        return merge_stats_files(args.folders, args.by, args.merge_csv)
    if args.command == "stats":
        from kiosk.staff_cli import print_stats

        return print_stats(settings, args.csv, args.days)

    setup_logging()
    import logging

    if args.self_test or args.command in ("screenshots", "print-test"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed for these
    quiet_qt_logging()  # before kiosk.ui loads QtTextToSpeech, which warns on load
    start = None
    if quick_start:
        # The remembered welcome picture on the screen first, with nothing else loaded yet.
        # Its key covers every byte of the content, so the settings as read decide it as
        # surely as the settings fitted to that content would.
        from kiosk.ui.first_frame import FrameReading, frame_path, new_application, show_first_frame

        reading = FrameReading(frame_path())  # (decoded meanwhile, on a thread of its own)
        root = content_root(settings, args.content)
        start = show_first_frame(new_application(sys.argv[:1]), settings, root, reading)
        settings = fit_to_content(settings, root)
    for problem in settings.problems:
        logging.getLogger("kiosk.config").warning("%s", problem)
    from kiosk.core.errors import ContentError
    from kiosk.ui.app import application, load_content, run

    if args.self_test:
        from kiosk.selftest import self_test

        application()
        return self_test(settings, args.content)
    if args.command in ("print-test", "screenshots"):
        application()
        try:
            library = load_content(settings, args.content)
        except ContentError as exc:
            print(exc, file=sys.stderr)
            return 1
        if args.command == "print-test":
            wanted, topics = ([args.lang] if args.lang else []), ([args.topic] if args.topic else [])
        else:
            wanted, topics = args.lang or [], args.topic or []
        refusal = _missing_language(wanted, library.languages, content_root(settings, args.content))
        if refusal:
            print(refusal, file=sys.stderr)
            return 1
        unknown = [t for t in topics if t not in library.topics]
        if unknown:
            print(f"no topic {unknown[0]!r} here (topics: {', '.join(library.topics)})", file=sys.stderr)
            return 1
        if args.command == "print-test":
            from kiosk.ui.printing import print_sample

            return print_sample(library.pack(args.lang or library.default_language, args.topic), settings, args.pdf)
        from kiosk.screenshots import take_screenshots

        try:
            paths = take_screenshots(library, settings, args.out, args.size, args.lang or library.languages,
                                     args.text_scale, args.high_contrast, args.at, args.topic)
        except OSError as exc:
            print(f"could not write the screenshots to {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {len(paths)} screenshots to {args.out}")
        return 0
    return run(settings, args.content, args.windowed, start)


def _missing_language(wanted: list[str], loaded: list[str], root: Path) -> str | None:
    """Why a language asked for with --lang cannot be used, or None. Without this the
    commands fell back to the default language and exited 0."""
    for code in wanted:
        if code in loaded:
            continue
        if (root / code / "pack.toml").is_file():
            return (f"language {code!r} is in the content but not in the config's languages "
                    f"(available: {', '.join(loaded)}); add it to 'languages' in the config file")
        return f"no language {code!r} in the content (available: {', '.join(loaded)})"
    return None


def entry() -> None:
    """Console-script entry point. Exits without running interpreter teardown: Qt
    objects destroyed during Python's finalisation can crash (a PySide6 teardown-order
    problem), which would leave a false "previous run crashed" report for staff."""
    code = main()
    import logging

    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    entry()
