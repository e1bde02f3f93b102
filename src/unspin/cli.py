"""The ``unspin`` command: analyze, classify, schema, eval, train.

Every user-facing error is one line on stderr and exit code 2; a traceback is a bug.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shlex
import sys
from pathlib import Path

from unspin import __version__
from unspin.errors import UnspinError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="unspin",
        description="Read a news article like a fact-checker: persuasion techniques, claims, "
                    "hedges and sources, with exact evidence spans. Runs offline.")
    p.add_argument("--version", action="version", version=f"unspin {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse an article (file, URL, or - for stdin); a JSON "
                                       "array or JSON Lines file: every article in it")
    a.add_argument("source", help="a path, an http(s) URL, or - to read standard input")
    a.add_argument("--allow-private", action="store_true",
                   help="allow fetching URLs on loopback, private or link-local addresses")
    a.add_argument("--format", "-f", choices=["text", "json", "html"], default=None,
                   help="output format (default: text on a terminal, json otherwise)")
    a.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    a.add_argument("--no-color", action="store_true", help="plain text without colours")

    c = sub.add_parser("classify", help="which techniques one passage of an article uses "
                                        "(JSON: every technique, most likely first)")
    c.add_argument("source", help="the article: a path, an http(s) URL, or - for stdin")
    which = c.add_mutually_exclusive_group(required=True)
    which.add_argument("--passage", help="the passage's text, as it appears in the article")
    which.add_argument("--span", metavar="START:END",
                       help="the passage as character offsets into the article's text (the "
                            "report's `text`)")
    c.add_argument("--top", type=int, default=0, help="list only this many techniques")

    b = sub.add_parser("batch", help="analyse a corpus into Parquet tables (resumable; "
                                     "local processes or Dask)")
    b.add_argument("source", nargs="?",
                   help="a directory of .txt/.html files, .jsonl, .json, .csv, .parquet, or an "
                        "RSS/Atom feed (file or URL)")
    b.add_argument("--out", type=Path, help="output folder (one Parquet dataset per table)")
    b.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="worker processes (default: one per core)")
    b.add_argument("--dask", metavar="ADDRESS",
                   help="run on a Dask cluster: tcp://HOST:8786, or local:N to start one")
    b.add_argument("--allow-private", action="store_true",
                   help="allow fetching feed entries on loopback or private addresses")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument("--chunk-size", type=int, default=256,
                   help="articles per written chunk (what a kill can cost to redo)")
    b.add_argument("--schema", action="store_true",
                   help="print the tables' Arrow schemas as JSON and exit")

    m = sub.add_parser("compare", help="group several articles into stories and tell each "
                                       "story side by side: figures, sources, language")
    m.add_argument("sources", nargs="+",
                   help="files, URLs, directories, or JSONL/JSON/CSV/Parquet files of articles")
    m.add_argument("--format", "-f", choices=["text", "json", "html"], default=None,
                   help="output format (default: text on a terminal, json otherwise)")
    m.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    m.add_argument("--allow-private", action="store_true",
                   help="allow fetching URLs on loopback, private or link-local addresses")

    v = sub.add_parser("serve", help="the web page and HTTP API for a verification desk, "
                                     "with a searchable store of reports")
    v.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (any but loopback needs UNSPIN_API_TOKENS)")
    v.add_argument("--port", type=int, default=8000)
    v.add_argument("--db", metavar="URL", default=None,
                   help="sqlite:///path.db or postgresql://user:pw@host/db (default: "
                        "UNSPIN_DB, else ~/.local/share/unspin/reports.db)")
    v.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                   help="a private-network host whose URLs may be fetched (repeatable)")
    v.add_argument("--max-concurrent", type=int, default=None,
                   help="analyses run at once (more wait in a short queue, then get 429)")

    sub.add_parser("schema", help="print the JSON Schema of the report")

    e = sub.add_parser("eval", help="score the shipped models on a benchmark split")
    e.add_argument("benchmark",
                   choices=["ptc", "semeval2023", "checkworthy", "polnear", "extraction",
                            "babe", "basil", "fnc1", "arc", "flags"])
    e.add_argument("split_dir", type=Path,
                   help="a folder laid out like the benchmark's splits in ../shared/data "
                        "(e.g. ../shared/data/ptc/train)")
    e.add_argument("--predictions", type=Path, help="also write predictions in the gold format")

    t = sub.add_parser("train", help="train a model (needs the train extra)")
    t.add_argument("model",
                   choices=["techniques", "heads", "genre", "checkworthy", "loaded",
                            "consistency"],
                   help="techniques: the encoder and technique heads; heads: frames and "
                        "check-worthiness on the shipped encoder (run it after techniques); "
                        "genre: the genre head (scikit-learn only, no encoder); "
                        "checkworthy: the fine-tuned check-worthiness model (~37 min); "
                        "loaded: the loaded-wording head on the shipped encoder (~11 min); "
                        "consistency: headline/caption stance on FNC-1 (~16 min)")
    t.add_argument("--data", type=Path, required=True, help="the shared data folder")
    t.add_argument("--cv", type=int, default=0, help="cross-validate with this many folds")
    t.add_argument("--out", type=Path, default=None,
                   help="output folder (default: runs/techniques-cv with --cv, else the "
                        "package's models folder)")
    t.add_argument("--cv-json", type=Path, default=Path("runs/techniques-cv/cv.json"),
                   help="thresholds from a cross-validation run (for the final model)")
    t.add_argument("--apply-cv", type=Path, default=None,
                   help="only set the shipped model's thresholds and scores from this cv.json "
                        "(and learn its word prior again from --data)")
    t.add_argument("--rescore", action="store_true",
                   help="with --cv: re-tune the thresholds of a finished cross-validation run "
                        "from its saved folds (no training) and rewrite its cv.json; "
                        "checkworthy: quantise, threshold and score the fp32 models of "
                        "runs/checkworthy again (no training)")
    t.add_argument("--lockbox", action="store_true",
                   help="techniques: with --cv, leave the lockbox articles out of every fold; "
                        "without --cv, train on the other articles and score the lockbox once "
                        "with the thresholds of --out's cv.json (nothing is shipped)")
    t.add_argument("--epochs", type=int, default=6)
    t.add_argument("--lr", type=float, default=1.2e-4, help="the encoder's peak learning rate")
    t.add_argument("--si-weight", type=float, default=3.0,
                   help="weight of span identification (inside any span) in the token loss")
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--limit", type=int, default=0,
                   help="use only this many training articles (smoke tests)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args, argv if argv is not None else sys.argv[1:])
    except UnspinError as err:
        print(f"unspin: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("unspin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`unspin ... | head`): not an error; keep Python from
        # complaining again when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    if args.command == "analyze":
        return _analyze(args)
    if args.command == "classify":
        return _classify(args)
    if args.command == "batch":
        return _batch(args)
    if args.command == "compare":
        from unspin.compare import compare_inputs, render_comparison

        comparison = compare_inputs(args.sources, allow_private=args.allow_private)
        fmt = args.format or ("text" if sys.stdout.isatty() and not args.output else "json")
        out = render_comparison(comparison, fmt)
        _write(args.output, out if out.endswith("\n") else out + "\n")
        return 0
    if args.command == "serve":
        from unspin.server import serve

        serve(args.host, args.port, args.db, allowed_private_hosts=args.allow_host or None,
              max_concurrent_analyses=args.max_concurrent)
        return 0
    if args.command == "schema":
        from unspin.report import report_schema_json

        print(report_schema_json())
        return 0
    if args.command == "eval":
        from unspin.evaluate.run import evaluate

        scores = evaluate(args.benchmark, args.split_dir, args.predictions)
        print(json.dumps(scores, indent=2))
        return 0
    if args.command == "train":
        return _train(args, argv)
    raise AssertionError(args.command)


def _analyze(args: argparse.Namespace) -> int:
    """Analyse every article of ``args.source`` and write the views.

    One article: its view. Several (a JSON array or JSON Lines): JSON Lines of reports (or the
    text views one after another); a record that cannot be read or analysed is named on
    stderr with its line or record number, the others are still analysed, and the exit code is
    2 if any failed."""
    from unspin.article import load_records
    from unspin.pipeline import analyze
    from unspin.render import render

    records = load_records(args.source, allow_private=args.allow_private)
    fmt = args.format or ("text" if sys.stdout.isatty() and not args.output else "json")
    if len(records) > 1 and fmt == "html":
        raise UnspinError(f"the input holds {len(records)} articles; HTML is one report per "
                          "file: use --format json (JSON Lines) or text")
    color = False if (args.no_color or args.output) else None
    outputs: list[str] = []
    failed = 0
    for record in records:
        try:
            if record.error is not None:
                raise record.error
            report = analyze(record.article)
        except UnspinError as err:
            if len(records) == 1:
                raise
            failed += 1
            message = str(err) if str(err).startswith(record.label) else f"{record.label}: {err}"
            print(f"unspin: error: {message}", file=sys.stderr)
            continue
        several_json = len(records) > 1 and fmt == "json"
        out = report.to_json(indent=None) if several_json else render(report, fmt, color=color)
        outputs.append(out if out.endswith("\n") else out + "\n")
    _write(args.output, ("\n" if fmt == "text" else "").join(outputs))
    if failed:
        print(f"unspin: {failed} of {len(records)} articles could not be analysed",
              file=sys.stderr)
        return 2
    return 0


def _batch(args: argparse.Namespace) -> int:
    """``unspin batch``: run (or resume) a corpus; a summary line on stderr."""
    from unspin.batch import BatchOptions, run_batch, schemas_json

    if args.schema:
        print(schemas_json())
        return 0
    if not args.source or not args.out:
        raise UnspinError("unspin batch needs INPUT and --out DIR (or --schema)")
    if args.workers < 1:
        raise UnspinError("--workers must be at least 1")
    if args.dask and not (args.dask.startswith(("tcp://", "tls://"))
                          or re.fullmatch(r"local:\d+", args.dask)):
        raise UnspinError(f"--dask wants tcp://HOST:PORT or local:N, not {args.dask!r}")
    options = BatchOptions(out=args.out, workers=args.workers, dask=args.dask,
                           allow_private=args.allow_private, chunk_size=max(1, args.chunk_size),
                           progress=not args.no_progress and sys.stderr.isatty())
    summary = run_batch(args.source, options)
    stages = ", ".join(f"{k} {v}" for k, v in sorted(summary.errors_by_stage.items()))
    print(f"unspin: {summary.analysed} analysed, {summary.failed} failed"
          f"{f' ({stages})' if stages else ''}, {summary.skipped} already done, "
          f"{summary.chunks} chunks written to {args.out} in {summary.seconds:.1f} s",
          file=sys.stderr)
    return 0


def _write(path: Path | None, out: str) -> None:
    """Write ``out`` to ``path``, or to standard output when there is none."""
    if path is None:
        sys.stdout.write(out)
        return
    try:
        path.write_text(out, encoding="utf-8")
    except OSError as err:
        raise UnspinError(f"cannot write {path}: {err.strerror}") from None


def _classify(args: argparse.Namespace) -> int:
    from unspin.article import load_article
    from unspin.pipeline import classify

    passage = args.passage if args.passage is not None else _offsets(args.span)
    result = classify(load_article(args.source), passage)
    if args.top > 0:
        result.techniques = result.techniques[: args.top]
    print(result.model_dump_json(indent=2))
    return 0


def _offsets(value: str) -> tuple[int, int]:
    """``"START:END"`` -> (start, end); UnspinError otherwise."""
    start, sep, end = value.partition(":")
    if not sep or not start.strip().isdigit() or not end.strip().isdigit():
        raise UnspinError(f"--span wants START:END in characters, e.g. 120:168, not {value!r}")
    return int(start), int(end)


def _train(args: argparse.Namespace, argv: list[str]) -> int:
    if args.model in ("genre", "loaded", "consistency"):
        return _train_head(args, argv)
    try:
        import torch  # noqa: F401
    except ImportError:
        raise UnspinError("training needs the train extra: pip install -e '.[train]'") from None
    from unspin.train.technique_recipe import run_cv, train_final
    from unspin.train.techniques import TrainConfig

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    command = "unspin " + " ".join(shlex.quote(a) for a in argv)
    config = TrainConfig(epochs=args.epochs, lr=args.lr, seed=args.seed,
                         si_weight=args.si_weight)
    if not (args.data / "semeval2023" / "train").is_dir():
        raise UnspinError(f"no semeval2023/train under {args.data}")
    if args.model == "checkworthy":
        from unspin.models import MODELS_DIR
        from unspin.train.checkworthy_recipe import train_checkworthy

        report = train_checkworthy(args.data, args.out or MODELS_DIR, command, seed=args.seed,
                                   limit=args.limit, reuse_fp32=args.rescore)
        print(json.dumps(report, indent=2, default=str))
    elif args.model == "heads":
        from unspin.models import MODELS_DIR
        from unspin.train.heads_recipe import train_heads

        summary = train_heads(args.data, args.out or MODELS_DIR, command, seed=args.seed)
        print(json.dumps({"genre_frames_cv": summary["genre_frames_cv"],
                          "claims": summary["claims"]}, indent=2, default=str))
    elif args.apply_cv:
        from unspin.models import MODELS_DIR
        from unspin.train.technique_recipe import apply_cv

        print(json.dumps(apply_cv(args.out or MODELS_DIR, args.apply_cv, args.data), indent=2))
    elif args.cv and args.rescore:
        from unspin.train.technique_recipe import rescore_cv

        result = rescore_cv(args.data, args.out or Path("runs/techniques-cv"), command=command)
        print(json.dumps({"pooled": result["pooled"], "thresholds": result["thresholds"]},
                         indent=2))
    elif args.lockbox and not args.cv:
        from unspin.train.technique_lockbox import score_lockbox, train_lockbox_model

        out = args.out or Path("runs/techniques-cv")
        train_lockbox_model(args.data, out, config, limit=args.limit)
        if not (out / "cv.json").exists():
            raise UnspinError(f"the lockbox model is in {out}; score it after "
                              f"'unspin train techniques --cv 3 --lockbox --out {out}'")
        result = score_lockbox(out, command)
        print(json.dumps({k: result[k] for k in ("lockbox", "cv_pooled")}, indent=2))
    elif args.cv:
        out = args.out or Path("runs/techniques-cv")
        result = run_cv(args.data, out, args.cv, config, command=command, limit=args.limit,
                        lockbox=args.lockbox)
        print(json.dumps({"pooled": result["pooled"], "thresholds": result["thresholds"]},
                         indent=2))
    else:
        from unspin.models import MODELS_DIR

        entry = train_final(args.data, args.out or MODELS_DIR, args.cv_json, config, command,
                            limit=args.limit)
        print(json.dumps(entry, indent=2))
    return 0


def _train_head(args: argparse.Namespace, argv: list[str]) -> int:
    """``unspin train genre|loaded|consistency``: heads trained with scikit-learn (no torch),
    cross-validated with a lockbox and shipped with a manifest entry (see the recipes in
    unspin.train)."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise UnspinError("training needs the train extra: pip install -e '.[train]'") from None
    from unspin.models import MODELS_DIR

    if args.model == "genre":
        from unspin.train.genre_recipe import train_genre as train
        needed = args.data / "semeval2023" / "train"
    elif args.model == "loaded":
        from unspin.train.loaded_recipe import train_loaded as train
        needed = args.data / "babe" / "train"
    else:
        from unspin.train.consistency_recipe import train_consistency as train
        needed = args.data / "fnc1" / "train"
    if not needed.is_dir():
        raise UnspinError(f"no {needed.relative_to(args.data)} under {args.data}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    command = "unspin " + " ".join(shlex.quote(a) for a in argv)
    scores = train(args.data, args.out or MODELS_DIR, command, seed=args.seed)
    print(json.dumps(scores, indent=2, default=str))
    return 0
