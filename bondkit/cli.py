"""The ``bondkit`` command line: thin commands that load, call the library and write.

Only click and the standard library are imported here at module level, so that
``bondkit --help`` answers at once; the library loads inside each command.

The commands that compute (``schedule``, ``run``, ``compare``, ``sweep``) never show a traceback: a bad file
exits 2 with its problems; anything else that goes wrong exits 1 with one line on stderr
(see :func:`_last_resort`).

Every line bondkit itself writes comes from :data:`bondkit.labels.LABELS`, in the language of
the command's messages (:func:`message_lang`): ``--lang`` when given, else the scenario's own
``language`` (read from its TOML even when the scenario has problems), else English.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bondkit import __version__
from bondkit.cli_app import app_command
from bondkit.cli_kit import kit_command
from bondkit.cli_register import register
from bondkit.cli_register.click_words import click_words
from bondkit.cli_register.help_words import help_lang_option, help_words, wants_help
from bondkit.columns import METRICS

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
#: what ``bondkit run`` loads before its drawing processes fork (shared, not loaded twice)
_SHARED = ("bondkit.runner", "bondkit.scenario")


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(message, err=True)
    sys.exit(code)


_LANG_KEY = "bondkit.message_lang"


def message_lang() -> str:
    """The language of the running command's messages: the one :func:`set_message_lang`
    chose (the scenario's, once read), else the command's ``--lang``, else English."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return "en"
    return ctx.meta.get(_LANG_KEY) or ctx.params.get("lang") or "en"


def set_message_lang(lang: str | None) -> None:
    """Use ``lang`` for the rest of the running command's messages (None: no change)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and lang is not None:
        ctx.meta[_LANG_KEY] = lang


def _say(key: str, **fields: Any) -> str:
    """The label ``key`` of :data:`bondkit.labels.LABELS` filled with ``fields``, in the
    language of the command's messages."""
    from bondkit.errors import Message

    return Message(key, **fields).render(message_lang())


class _OutputError(Exception):
    """Standard output could not be written (a full disk, a closed file)."""


def _echo(text: str, nl: bool = True) -> None:
    """``click.echo`` to stdout; a failure to write (other than a closed pipe) is an
    :class:`_OutputError` carrying the system's reason."""
    try:
        click.echo(text, nl=nl)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _OutputError(exc.strerror or str(exc)) from None


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush of what is still
    buffered cannot fail again (and print "Exception ignored ...") on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests)
        pass


def _last_resort(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command so that it never ends in a traceback, whatever goes wrong.

    - stdout closed by its reader (``| head``): exit 1 quietly, as click does;
    - stdout cannot be written (``> /dev/full``): ``bondkit: cannot write the output: ...``;
    - :class:`~bondkit.errors.BondkitError` (a message for the user): ``bondkit: <message>``
      (exit 2 for a run refused by its budget, which sets ``exit_code``);
    - ValueError or OverflowError while computing:
      ``bondkit: cannot compute this scenario: <message>``;
    - any other exception: ``bondkit: internal error, please report it: <type>: <message>``.

    All exit 1; a bad scenario file still exits 2 (:func:`_load`). The lines are in the
    language of the command's messages (:func:`message_lang`); what follows the colon comes
    from the system or a library and is shown as it is.
    """

    @functools.wraps(command)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        from bondkit.errors import BondkitError

        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(EXIT_FAILED)
        except _OutputError as exc:
            _silence_stdout()
            _fail(_say("cli.err.output", reason=exc))
        except BondkitError as exc:
            code = getattr(exc, "exit_code", EXIT_FAILED)
            _fail(_say("cli.error", message=exc.render(message_lang())), code)
        except (ValueError, OverflowError) as exc:
            _fail(_say("cli.err.compute", reason=exc))
        except Exception as exc:
            _fail(_say("cli.err.internal", kind=type(exc).__name__, reason=exc))

    return guarded


def _load(file: Path, lang: str | None = None):
    """Load and validate a scenario; on problems print them one per line and exit 2.

    The messages of the rest of the command are then in ``lang`` (default: the command's
    ``--lang``), else in the scenario's own language (read from its TOML even when the
    scenario has problems), else in English.
    """
    from bondkit.errors import ScenarioError
    from bondkit.scenario import load_scenario

    if lang is None:
        ctx = click.get_current_context(silent=True)
        lang = ctx.params.get("lang") if ctx is not None else None
    try:
        scenario = load_scenario(file)
    except ScenarioError as exc:
        set_message_lang(lang or exc.language or "en")
        _fail(exc.render(message_lang()), EXIT_BAD_INPUT)
    set_message_lang(lang or scenario.language)
    return scenario


scenario_file = click.argument("file", type=click.Path(path_type=Path, dir_okay=False))


def out_option(help_text: str):
    """The ``--out DIR`` option shared by the commands that write files."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("out"),
        show_default=True,
        help=help_text,
    )


def lang_option(help_text: str):
    """The ``--lang fr|en`` option of the commands that read a scenario: the language of
    their messages (see :func:`message_lang`), and of their outputs."""
    return click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help=help_text)


def _limit_error(ctx: click.Context, key: str, value: str) -> click.BadParameter:
    """A bad ``--max-memory`` or ``--max-time`` value, said in the command's language (its
    ``--lang`` when already read, else the one the command line asks for)."""
    from bondkit.cli_register.click_words import args_language
    from bondkit.labels import t

    lang = ctx.params.get("lang") or args_language(sys.argv[1:]) or "en"
    return click.BadParameter(t(key, lang).format(value=repr(value)[:40]))


def _check_size(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    return _limit(ctx, value, "parse_size", "cli.err.size")


def _check_duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    return _limit(ctx, value, "parse_duration", "cli.err.duration")


def _limit(ctx: click.Context, value: str | None, parser: str, key: str) -> float | None:
    """A --max-* value read by ``parser`` of :mod:`bondkit.runner.budget`; the default
    (None) is read without loading the runner (and pandas): the command loads it when it
    chooses."""
    if value is None:
        return None
    from bondkit.runner import budget

    try:
        return getattr(budget, parser)(value)
    except ValueError:
        raise _limit_error(ctx, key, str(value)) from None


def budget_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-memory SIZE`` and ``--max-time DURATION``: the limits a run's estimate is
    checked against before it starts (see :mod:`bondkit.runner.budget`)."""
    command = click.option(
        "--max-time",
        "max_time",
        metavar="DURATION",
        default=None,
        callback=_check_duration,
        help="Refuse a run estimated to compute longer than this (90s, 30m, 2h; default 15m).",
    )(command)
    return click.option(
        "--max-memory",
        "max_memory",
        metavar="SIZE",
        default=None,
        callback=_check_size,
        help="Refuse a run estimated to need more memory than this (512M, 8G; default 4G).",
    )(command)


def _warn_findings(result, file: Path | None = None) -> None:
    """Rule-set breaches of a run's campaign, one warning line each on stderr (starting
    with the file's name when given)."""
    from bondkit.data.rules import rule_set
    from bondkit.errors import Message

    campaign = result.campaign
    for finding in campaign.findings if campaign is not None else ():
        limit: Any = finding.limit
        if finding.rule == "commission":
            limit = Message("rules.no_commission")
        elif finding.rule == "legal_form":
            forms = rule_set(campaign.terms.rule_set).legal_forms or ()
            for form in forms:
                limit = form if limit is finding.limit else Message("msg.or", a=limit, b=form)
        line = _say(
            "cli.warn.rule",
            name=campaign.terms.rule_set,
            rule=finding.rule,
            limit=limit,
            value=finding.value,
        )
        click.echo(line if file is None else _say("cli.in_file", file=file, line=line), err=True)


def _answer_first(result, lang: str | None) -> None:
    """The four questions of the Sommaire, one line each on stdout in the run's language;
    a coverage or maturity test below its threshold is also a warning on stderr."""
    from bondkit.labels import number_text
    from bondkit.runner.answers import answers
    from bondkit.runner.readiness import READINESS_THRESHOLDS

    lang = lang or result.scenario.language
    for a in answers(result, lang):
        _echo(a.line(lang))
    cap = result.capacity
    if cap is None:
        return
    below = cap.years_below_threshold
    if below:
        threshold = float(cap.terms.coverage_threshold)
        click.echo(
            _say(
                "cli.warn.coverage",
                ratio=number_text(cap.min_dscr, lang, 2),
                threshold=number_text(threshold, lang, 2),
                years=", ".join(map(str, below)),
            ),
            err=True,
        )
    floor = READINESS_THRESHOLDS["maturity_coverage"][0]
    for rec in cap.maturities.itertuples(index=False):
        if rec.coverage < floor:
            click.echo(
                _say(
                    "cli.warn.maturity",
                    year=int(rec.fiscal_year),
                    ratio=number_text(float(rec.coverage), lang, 2),
                    threshold=number_text(floor, lang, 2),
                ),
                err=True,
            )


class _Bondkit(click.Group):
    """The ``bondkit`` group: click's own words (its usage errors) in the language of the
    command line (:func:`~bondkit.cli_register.click_words.click_words`), and the help
    pages too (:func:`~bondkit.cli_register.help_words.help_words`)."""

    def main(self, args: Any = None, *rest: Any, **extra: Any) -> Any:
        words = sys.argv[1:] if args is None else list(args)
        with click_words(words) as lang:
            if wants_help(self, words):
                with help_words(self, lang()):
                    return super().main(args, *rest, **extra)
            return super().main(args, *rest, **extra)


@help_lang_option
@click.group(cls=_Bondkit, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bondkit")
def main() -> None:
    """Model a community bond issue: exact schedules, key figures and a workbook.

    \b
    Start with an example:
      bondkit init my-issue.toml --lang fr
      bondkit validate my-issue.toml
      bondkit run my-issue.toml --out out/
    """


@main.command()
@scenario_file
@lang_option("Language of the messages (default: the scenario's).")
@_last_resort
def validate(file: Path, lang: str | None) -> None:
    """Check a scenario file and print a one-line summary (exit 2 with every problem if not).

    Example: bondkit validate scenarios/cinema-du-parc-2016.toml --lang fr
    """
    from bondkit.core.conventions import cents_to_str

    sc = _load(file)
    series = sc.series_terms()
    total = sum(t.amount_cents for t in series)
    first = min(t.issue_date for t in series)
    last = max(t.maturity for t in series)
    _echo(
        _say(
            "cli.ok_one" if len(series) == 1 else "cli.ok",
            file=file,
            name=sc.name,
            n=len(series),
            total=cents_to_str(total),
            currency=sc.currency,
            first=first.isoformat(),
            last=last.isoformat(),
        )
    )


@main.command()
@scenario_file
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "table"]),
    default="table",
    show_default=True,
    help="csv and json follow the documented contract; table is for reading "
    "(in the language of the messages).",
)
@lang_option("Language of the messages and of the table (default: the scenario's).")
@_last_resort
def schedule(file: Path, fmt: str, lang: str | None) -> None:
    """Print the payment schedule of every series (one row per series and payment date).

    Example: bondkit schedule scenarios/cinema-du-parc-2016.toml --format csv > schedule.csv
    """
    from bondkit.core.schedule import issue_schedule
    from bondkit.report.tables import schedule_csv, schedule_json, schedule_table

    sc = _load(file)
    df = issue_schedule(sc.series_terms())
    if fmt == "table":
        _echo(schedule_table(df, message_lang()), nl=False)
    else:  # the contract: the same in every language
        _echo((schedule_csv if fmt == "csv" else schedule_json)(df), nl=False)


#: --charts of run and track
charts_option = click.option(
    "--charts",
    type=click.Choice(["both", "png", "svg", "none"]),
    default="both",
    show_default=True,
    help="Chart files to write: PNG and SVG, one of them, or none (no charts folder). "
    "The workbook shows the PNGs: without them it has no pictures.",
)


@main.command("run")
@scenario_file
@out_option("Folder for the workbook, summary and charts (created if missing).")
@lang_option("Language of the outputs and messages (default: the scenario's).")
@charts_option
@click.option(
    "--register",
    "register_db",
    metavar="DB",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The issue's register of holders (bondkit register init): the real holders "
    "replace the simulated ones in the redemption-risk model, and L3.4 and L3.5 show the "
    "register's figures as real data.",
)
@budget_options
@_last_resort
def run_command(
    file: Path,
    out_dir: Path,
    lang: str | None,
    charts: str,
    register_db: Path | None,
    max_memory: float | None,
    max_time: float | None,
) -> None:
    """Compute a scenario and write its workbook, summary JSON and charts.

    A run estimated to need more than --max-memory or --max-time is refused before it
    starts (exit 2, nothing written), with the scenario key to turn. --charts png, svg or
    none writes fewer chart files, and sooner. --register DB takes the real holders from
    the issue's register (a register of another issue: exit 2, nothing written).

    Example: bondkit run scenarios/cinema-du-parc-2016.toml --out out/
    """
    from bondkit.report.drawers import RUN_MODULES, Drawers

    # the scenario's modules load before the fork (shared), then matplotlib loads in the
    # first drawing process while this one reads the scenario and computes it
    with Drawers(formats=charts, preload=RUN_MODULES, share=_SHARED) as drawers:
        from bondkit.report.writer import output_stem, write_outputs
        from bondkit.runner import run

        sc = _load(file)
        stem = output_stem(file)
        result = run(sc, max_memory=max_memory, max_time=max_time, register=register_db)
        paths = write_outputs(result, out_dir, stem, lang=lang, charts=charts, drawers=drawers)
    _warn_findings(result)
    if result.register is not None:  # counted, never named
        from bondkit.labels import money_text

        reg = result.register
        for warning in reg.warnings:
            click.echo(warning.render(message_lang()), err=True)
        principal = money_text(reg.principal_cents, message_lang(), sc.currency)
        _echo(_say("runreg.cli.used", file=reg.file_name, date=reg.as_of.isoformat(),
                   n=len(reg.holdings), principal=principal))  # fmt: skip
    _answer_first(result, lang)
    _echo_paths(paths)


def _echo_paths(paths: dict[str, Any]) -> None:
    """The files a run wrote: the workbook, the summary and the charts' folder."""
    _echo(_say("cli.run.workbook", path=paths["workbook"]))
    _echo(_say("cli.run.summary", path=paths["summary"]))
    if paths["charts"]:
        _echo(_say("cli.run.charts", path=paths["charts"][0].parent, n=len(paths["charts"])))
    else:
        _echo(_say("cli.run.no_charts"))


@main.command("track")
@scenario_file
@click.option("--subscriptions", "rows", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="The subscriptions so far: a CSV or XLSX list (date, amount "
              "or bonds, series, and when known status and segment).")  # fmt: skip
@click.option("--register", "register_db", type=click.Path(path_type=Path, dir_okay=False),
              metavar="DB", help="Or the issue's register: its holdings so far, all paid.")  # fmt: skip
@click.option("--as-of", "as_of", required=True, type=click.DateTime(["%Y-%m-%d"]),
              metavar="DATE", help="The day the subscriptions were read (YYYY-MM-DD).")  # fmt: skip
@out_option("Folder for the workbook, summary and charts (created if missing).")
@lang_option("Language of the outputs and messages (default: the scenario's).")
@click.option("--status-rate", "rates", multiple=True, metavar="STATUS=RATE",
              help="The share of a status's rows that become money (repeatable; default "
              "paid=1, signed=0.95, pledged=0.8, cancelled=0).")  # fmt: skip
@click.option("--map", "maps", multiple=True, metavar="HEADER=FIELD",
              help="A column whose header is not recognised (as bondkit register import).")  # fmt: skip
@click.option("--dates", type=click.Choice(["dmy", "mdy"]), default=None,
              help="Order of text dates such as 04/05/2016, when a column cannot tell it.")  # fmt: skip
@click.option("--sheet", default=None, metavar="NAME", help="The XLSX sheet (default: the first).")
@charts_option
@budget_options
@_last_resort
def track_command(file: Path, rows: Path | None, register_db: Path | None, as_of: Any,
                  out_dir: Path, lang: str | None, rates: tuple[str, ...], maps: tuple[str, ...],
                  dates: str | None, sheet: str | None, charts: str, max_memory: float | None,
                  max_time: float | None) -> None:  # fmt: skip
    """Follow the campaign under way: where it will end and what it takes now.

    Reads the subscriptions so far (--subscriptions FILE, or --register DB), conditions the
    scenario's campaign on them and simulates it to the close: the chance of the minimum
    and the target, the final raise, the money and subscriptions a week still needed, the
    effect of extending 1-4 weeks, beside the straight line and the plan. A list with a
    problem: exit 2, every problem by row, nothing computed or written.

    Example: bondkit track my-issue.toml --subscriptions subs.csv --as-of 2016-11-30
    """
    from bondkit.report.drawers import RUN_MODULES, Drawers

    # matplotlib loads while this process reads and simulates (as for bondkit run)
    shared = ("bondkit.runner.tracking", *_SHARED)
    with Drawers(formats=charts, preload=RUN_MODULES, share=shared) as drawers:
        from bondkit.cli_register.importing import mapping_pairs
        from bondkit.report.writer import output_stem, write_outputs
        from bondkit.runner.tracking import track, tracking_lines

        sc = _load(file)
        given = {}
        for pair in rates:
            status, _, rate = pair.partition("=")
            try:
                given[status.strip()] = float(rate)
            except ValueError:
                _fail(
                    _say("cli.error", message=_say("track.err.rate", status=status, rate=rate)), 2
                )
        result = track(sc, as_of=as_of.date(), subscriptions=rows, register=register_db,
                       rates=given, mapping=mapping_pairs(maps), dates=dates, sheet=sheet,
                       max_memory=max_memory, max_time=max_time)  # fmt: skip
        stem = output_stem(file)
        paths = write_outputs(result, out_dir, stem, lang=lang, charts=charts, drawers=drawers)
    for text in tracking_lines(result.tracking, lang or sc.language, sc.currency):
        _echo(text)
    _echo_paths(paths)


@main.command("compare")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@out_option("Folder for the comparison workbook and charts (created if missing).")
@lang_option("Language of the outputs and messages (default: the first scenario's).")
@budget_options
@_last_resort
def compare_command(
    files: tuple[Path, ...],
    out_dir: Path,
    lang: str | None,
    max_memory: float | None,
    max_time: float | None,
) -> None:
    """Compare options: run each scenario, write a comparison workbook and charts.

    Each option is named by its scenario's [scenario] name, followed by its file's name
    when two options have the same name.

    Every file is checked first, and the estimated memory and time of its run against
    --max-memory and --max-time; if any has problems, all of them are listed (each line
    starting with its file name), exit 2 and nothing is written.

    Example: bondkit compare option-a.toml option-b.toml --out out/
    """
    from bondkit.errors import ScenarioError
    from bondkit.labels import t
    from bondkit.runner import run
    from bondkit.runner.budget import BudgetError, check_budget
    from bondkit.scenario import load_scenario, scenario_language
    from bondkit.studies.comparison import comparison_table, option_names, write_comparison

    if len(files) < 2:
        set_message_lang(lang or scenario_language(files[0]))
        _fail(_say("cli.err.two_files"), EXIT_BAD_INPUT)
    loaded: list[Any] = []  # a Scenario, or the ScenarioError of a file with problems
    for file in files:
        try:
            loaded.append(load_scenario(file))
        except ScenarioError as exc:
            loaded.append(exc)
    # the first file that tells its language (a file with problems may), else English
    msg_lang = lang or next((x.language for x in loaded if x.language), "en")
    set_message_lang(msg_lang)
    scenarios = [x for x in loaded if not isinstance(x, ScenarioError)]
    problems = []
    for file, x in zip(files, loaded, strict=True):
        for problem in x.problems if isinstance(x, ScenarioError) else ():
            line = problem.render(msg_lang)
            in_file = problem.location == str(file)  # cannot read it, TOML syntax...
            problems.append(line if in_file else _say("cli.in_file", file=file, line=line))
    for file, x in zip(files, loaded, strict=True):
        if not isinstance(x, ScenarioError):
            try:
                check_budget(x, max_memory, max_time)
            except BudgetError as exc:
                problems.append(_say("cli.in_file", file=file, line=exc.render(msg_lang)))
    # each option by its scenario's name; the file's name tells apart two of the same name
    named = [(f, x) for f, x in zip(files, loaded, strict=True) if not isinstance(x, ScenarioError)]
    names = option_names([x for _f, x in named], [f for f, _x in named], msg_lang)
    seen: set[str] = set()
    for (file, _x), name in zip(named, names, strict=True):
        if name in seen:
            problems.append(t("cmp.err.same_name", msg_lang).format(file=file, name=name))
        seen.add(name)
    if problems:
        _fail("\n".join(problems), EXIT_BAD_INPUT)
    results = [run(sc, max_memory=max_memory, max_time=max_time) for sc in scenarios]
    paths = write_comparison(results, names, out_dir, lang=msg_lang)
    for file, result in zip(files, results, strict=True):
        _warn_findings(result, file=file)
    currencies = [r.scenario.currency for r in results]
    _echo(comparison_table(paths["table"], currencies, msg_lang, results=results), nl=False)
    _echo("")
    _echo(t("cmp.out.workbook", msg_lang).format(path=paths["workbook"]))
    charts = paths["chart_files"]
    if charts:
        folder = f"{charts[0].parent}{os.sep}"
        _echo(t("cmp.out.charts", msg_lang).format(path=folder, n=len(charts)))


@main.command("sweep")
@scenario_file
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="KEY=SPEC",
    help="A key and its values: START:STOP:STEP or a comma list (repeatable). KEY is a "
    "series key (annual_rate: every series), series[N].key or a table key (campaign.target).",
)
@out_option("Folder for sweep.csv, sweep.xlsx and the chart (created if missing).")
@click.option(
    "--metric",
    type=click.Choice(list(METRICS)),
    default="issuer_all_in_cost",
    show_default=True,
    help="The figure of the heat map.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes to run the variants on.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run the variants on a Dask cluster, given its scheduler's address "
    "(tcp://host:8786). Needs: pip install 'bondkit[dask]'. Not with --jobs.",
)
@lang_option("Language of the outputs (default: the scenario's).")
@budget_options
@_last_resort
def sweep_command(
    file: Path,
    varies: tuple[str, ...],
    out_dir: Path,
    metric: str,
    jobs: int,
    scheduler: str | None,
    lang: str | None,
    max_memory: float | None,
    max_time: float | None,
) -> None:
    """Run the grid of variants of one scenario: a table, a workbook sheet and a heat map.

    A variant that is not a valid scenario is listed with its first problem. A --vary that
    cannot be used exits 2 and nothing is written. Every variant uses the scenario's seed,
    so the table is the same serially, with --jobs or with --scheduler. With more than 8
    variants, a progress bar is shown on stderr (stdout gets only the table). A variant
    estimated to need more than --max-memory or --max-time (each, one at a time) stops
    the sweep before any variant runs: exit 2, nothing written.

    Example: bondkit sweep issue.toml --vary annual_rate=0.02:0.05:0.005 --vary term_years=3,5,7
    """
    from contextlib import ExitStack

    from bondkit.labels import t
    from bondkit.studies.sweeps import (
        PROGRESS_THRESHOLD,
        SweepSpecError,
        check_specs,
        grid,
        parse_vary,
        sweep,
        sweep_table,
        write_sweep,
    )

    sc = _load(file)
    msg_lang = lang or sc.language
    try:
        specs = [parse_vary(v, msg_lang) for v in varies]
        check_specs(sc, specs, msg_lang)
    except SweepSpecError as exc:
        _fail(f"bondkit sweep: {exc}", EXIT_BAD_INPUT)
    with ExitStack() as stack:
        executor = None
        if scheduler is not None:
            if jobs > 1:
                _fail(f"bondkit sweep: {t('sweep.err.scheduler_jobs', msg_lang)}", EXIT_BAD_INPUT)
            try:
                from distributed import Client
            except ImportError:
                _fail(f"bondkit sweep: {t('sweep.err.no_dask', msg_lang)}", EXIT_BAD_INPUT)
            try:
                client = stack.enter_context(Client(scheduler))
            except (OSError, TimeoutError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                message = t("sweep.err.connect", msg_lang).format(address=scheduler, reason=reason)
                _fail(f"bondkit sweep: {message}")
            executor = client.get_executor()
        n = len(grid(specs))
        progress = None
        if n > PROGRESS_THRESHOLD:
            label = t("sweep.progress", msg_lang).format(n=n)
            bar = stack.enter_context(click.progressbar(length=n, label=label, file=sys.stderr))
            progress = bar.update
        table = sweep(
            sc,
            specs,
            jobs=jobs,
            executor=executor,
            progress=progress,
            lang=msg_lang,
            max_memory=max_memory,
            max_time=max_time,
        )
    paths = write_sweep(table, out_dir, metric, msg_lang, sc.currency, sc.seed)
    _echo(sweep_table(table, msg_lang, sc.currency), nl=False)
    _echo("")
    _echo(t("sweep.out.csv", msg_lang).format(path=paths["csv"]))
    _echo(t("cmp.out.workbook", msg_lang).format(path=paths["workbook"]))
    charts = paths["chart_files"]
    folder = f"{charts[0].parent}{os.sep}"
    _echo(t("cmp.out.charts", msg_lang).format(path=folder, n=len(charts)))


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="en",
    show_default=True,
    help="Language of the example and of the messages.",
)
def init(file: Path, lang: str) -> None:
    """Write a commented example scenario to start from (never overwrites a file).

    Example: bondkit init my-issue.toml --lang fr
    """
    from bondkit.scenario import starter_text

    if file.exists():
        _fail(_say("cli.err.exists", file=file))
    text = starter_text(lang)
    try:
        with open(file, "x", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        _fail(_say("cli.err.write_file", file=file, reason=exc.strerror or exc))
    click.echo(_say("cli.init.wrote", file=file))


main.add_command(register)
main.add_command(kit_command)
main.add_command(app_command)


def entry() -> None:
    """The ``bondkit`` command: :func:`main`, then the process ends at once.

    numpy's OpenBLAS starts a thread per core as it loads, and they spin after its calls:
    CPU a run's charts need (0.25 s of 2.7 on 2 cores). bondkit's numbers are elementwise,
    so OpenBLAS runs on one thread here, unless ``OPENBLAS_NUM_THREADS`` says otherwise.

    Once a command has returned, its files are closed and its output is written: the
    exit code is what remains. Tearing the interpreter down (freeing every object of
    pandas, matplotlib and the run, one by one) takes 0.3-0.4 s after ``bondkit run``
    and changes nothing, so the process flushes its output and leaves with ``os._exit``.
    A flush that fails (the reader of stdout is gone) exits 1, as click does.
    """
    import logging

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # numpy is not loaded yet
    try:
        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # what sys.exit("...") would print
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        code = code or 1
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
