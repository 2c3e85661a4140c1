"""Data-pipeline benchmark: corpus preparation MB/s and peak memory, time to the first preview, epoch planning.

Usage (prints one JSON line on stdout; progress on stderr)::

    .venv/bin/python benchmarks/data_bench.py --size-mb 100
    .venv/bin/python benchmarks/data_bench.py --size-mb 1000 --num-proc 2
    .venv/bin/python benchmarks/data_bench.py --splitter          # sentence splitter speed: rules vs pysbd

The corpus is generated under /tmp (never in the repository): documents of 3–30 sentences drawn at random from the
bundled Python language reference (and ``../shared/corpora/meditations.txt`` when present), separated by blank
lines. The tokenizer is a WordPiece vocabulary of ``--vocab`` entries learnt offline on the sample corpus (or
``--model``). The measurement runs in a fresh child process so its peak RSS is the pipeline's, not the generator's;
worker processes are measured separately (``peak_rss_workers_mb``: the largest one, from /proc VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.gettempdir()) / "bertgui-data-bench"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sentence_pool() -> list[str]:
    from bertgui.data.samples import sample_documents
    from bertgui.data.sentences import split_sentences

    pool = [s for d in sample_documents() for s in split_sentences(d)]
    meditations = ROOT.parent / "shared" / "corpora" / "meditations.txt"
    if meditations.exists():
        pool += [s for line in meditations.read_text(encoding="utf-8").splitlines() for s in split_sentences(line)]
    return pool


def generate(path: Path, size_mb: float, seed: int = 0) -> Path:
    """Write a corpus of about size_mb MB, chunk by chunk (the generator itself stays small)."""
    if path.exists() and abs(path.stat().st_size - size_mb * 1e6) < 2e6:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    pool = sentence_pool()
    rng = random.Random(seed)
    target = int(size_mb * 1e6)
    written = 0
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        while written < target:
            chunk = []
            for _ in range(200):
                chunk.append(" ".join(rng.choices(pool, k=rng.randint(3, 30))))
            text = "\n\n".join(chunk) + "\n\n"
            fh.write(text)
            written += len(text.encode("utf-8"))
    tmp.replace(path)
    return path


def tokenizer_folder(vocab: int) -> Path:
    folder = WORK / f"tokenizer-{vocab}"
    if not (folder / "tokenizer.json").exists():
        from bertgui.data.samples import sample_corpus_path
        from bertgui.model.new import NewModelSpec, create_model

        create_model([str(sample_corpus_path(WORK))], folder, NewModelSpec(layers=1, hidden=64, vocab_size=vocab),
                     overwrite=True)
    return folder


def vm_hwm_mb(pid: int | str = "self") -> float:
    """Peak resident memory of a process since its last exec (VmHWM). ru_maxrss would also count the pages a
    spawned worker shared with its parent between fork and exec, and report the parent's size."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class ChildPeak(threading.Thread):
    """Polls the peak memory (VmHWM) of this process's children twice a second; keeps the largest."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        me = str(os.getpid())
        while not self.done.wait(0.5):
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    ppid = stat.read_text().rsplit(")", 1)[1].split()[1]
                except (OSError, IndexError):
                    continue
                if ppid == me:
                    self.peak = max(self.peak, vm_hwm_mb(stat.parent.name))


def measure(corpus: Path, model: Path, num_proc: int | None, max_seq_length: int) -> dict:
    """Runs in a fresh process: first preview, full pass (empty cache), cached load, one epoch plan."""
    import shutil

    from transformers import AutoTokenizer

    from bertgui.config import RunConfig
    from bertgui.data.pairs import PretrainingDataset
    from bertgui.data.prepare import default_num_proc, prepare_corpus
    from bertgui.data.preview import corpus_stats, open_sample, preview_masking, preview_pairs

    tokenizer = AutoTokenizer.from_pretrained(model, trust_remote_code=False)
    t0 = time.perf_counter()
    sample = open_sample(str(corpus), tokenizer)
    preview_pairs(sample.corpus, tokenizer, 5, max_seq_length=max_seq_length)
    preview_masking(sample.corpus, tokenizer, 3, max_seq_length=max_seq_length)
    corpus_stats(sample.corpus, tokenizer, max_seq_length=max_seq_length, sample=True)
    first_preview = time.perf_counter() - t0
    rss_after_preview = vm_hwm_mb()

    cache = WORK / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    config = RunConfig(corpus=[str(corpus)], max_seq_length=max_seq_length).validate()
    last = [0.0]

    def progress(done: int, total: int, message: str) -> None:
        if time.perf_counter() - last[0] > 10:
            last[0] = time.perf_counter()
            log(f"  {message}")

    n_proc = num_proc or default_num_proc()
    watcher = ChildPeak()
    watcher.start()
    t0 = time.perf_counter()
    prepared = prepare_corpus(config, tokenizer, progress=progress, num_proc=n_proc, cache_dir=cache)
    prepare_s = time.perf_counter() - t0
    watcher.done.set()
    watcher.join()
    rss_main = vm_hwm_mb()
    rss_workers = watcher.peak
    t0 = time.perf_counter()
    again = prepare_corpus(config, tokenizer, num_proc=n_proc, cache_dir=cache)
    cached_s = time.perf_counter() - t0
    assert again.cached
    full = prepared.all
    t0 = time.perf_counter()
    ds = PretrainingDataset(prepared.train, tokenizer, max_seq_length, nsp=True, seed=1, epochs=1)
    n_seq = len(ds.plan(0))
    plan_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(2000):
        ds[i]
    item_us = (time.perf_counter() - t0) / 2000 * 1e6
    size = corpus.stat().st_size
    disk = sum(f.stat().st_size for f in prepared.folder.iterdir())
    return {
        "corpus_mb": round(size / 1e6, 1), "num_proc": n_proc, "cpus": os.cpu_count(),
        "documents": full.n_documents, "sentences": int(len(full.sent_offsets) - 1), "tokens": full.n_tokens,
        "prepare_s": round(prepare_s, 2), "prepare_mb_per_s": round(size / 1e6 / prepare_s, 2),
        "peak_rss_main_mb": round(rss_main), "peak_rss_workers_mb": round(rss_workers),
        "rss_after_first_preview_mb": round(rss_after_preview),
        "first_preview_s": round(first_preview, 3), "cached_load_s": round(cached_s, 3),
        "cache_disk_mb": round(disk / 1e6, 1),
        "plan_epoch_s": round(plan_s, 2), "sequences_per_epoch": n_seq, "getitem_us": round(item_us, 1),
        "max_seq_length": max_seq_length, "tokenizer_vocab": len(tokenizer),
    }


def splitter_bench() -> dict:
    from bertgui.data.sentences import split_sentences

    pool = sentence_pool()
    rng = random.Random(0)
    docs = [" ".join(rng.choices(pool, k=rng.randint(3, 30))) for _ in range(3000)]
    mb = sum(len(d.encode()) for d in docs) / 1e6
    t0 = time.perf_counter()
    n_rules = sum(len(split_sentences(d)) for d in docs)
    rules = mb / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    n_dot = sum(len(d.split(".")) for d in docs)
    dot = mb / (time.perf_counter() - t0)
    out = {"text_mb": round(mb, 2), "rules_mb_per_s": round(rules, 2), "rules_sentences": n_rules,
           "split_on_dot_mb_per_s": round(dot, 1), "split_on_dot_pieces": n_dot}
    try:
        import pysbd
    except ImportError:
        return out | {"pysbd": "not installed"}
    seg = pysbd.Segmenter(language="en", clean=False)
    sub = docs[:100]
    sub_mb = sum(len(d.encode()) for d in sub) / 1e6
    t0 = time.perf_counter()
    for d in sub:
        seg.segment(d)
    return out | {"pysbd_mb_per_s": round(sub_mb / (time.perf_counter() - t0), 3), "pysbd_text_mb": round(sub_mb, 3)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size-mb", type=float, default=100)
    p.add_argument("--num-proc", type=int, help="worker processes (default: min(cpus, 8))")
    p.add_argument("--vocab", type=int, default=8000, help="vocabulary of the generated tokenizer")
    p.add_argument("--model", help="use this model folder's tokenizer instead")
    p.add_argument("--max-seq-length", type=int, default=128)
    p.add_argument("--splitter", action="store_true", help="only measure the sentence splitter")
    p.add_argument("--measure", help=argparse.SUPPRESS)  # internal: the child process
    args = p.parse_args(argv)
    if args.splitter:
        print(json.dumps(splitter_bench()))
        return 0
    if args.measure:
        print(json.dumps(measure(Path(args.measure), Path(args.model), args.num_proc, args.max_seq_length)))
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    corpus = generate(WORK / f"corpus-{args.size_mb:g}mb.txt", args.size_mb)
    log(f"corpus {corpus} ({corpus.stat().st_size / 1e6:.0f} MB) ready in {time.perf_counter() - t0:.0f} s")
    model = Path(args.model) if args.model else tokenizer_folder(args.vocab)
    cmd = [sys.executable, __file__, "--measure", str(corpus), "--model", str(model),
           "--max-seq-length", str(args.max_seq_length)]
    if args.num_proc:
        cmd += ["--num-proc", str(args.num_proc)]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="true")
    result = subprocess.run(cmd, stdout=subprocess.PIPE, env=env, check=True, text=True)
    print(result.stdout.strip().splitlines()[-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
