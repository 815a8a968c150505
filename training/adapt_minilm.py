"""Adapt the bundled all-MiniLM-L6-v2 to news text by masked-language modelling, before fine-tuning on a task.

    python training/adapt_minilm.py --data ../shared/datasets --out training/output/minilm-news

all-MiniLM-L6-v2 was trained for sentence similarity (mean-pooled sentence vectors), not to predict words, and
on web text, not news. Domain- and task-adaptive pretraining (Gururangan et al., ACL 2020) continues the masked
language model on in-domain text; here the news paragraphs of the train portions of PolNeAR, PTC, ECB+ and
NewsMTSC (`pretrain_text.texts`; no dev or test text, nothing from NewsWCL50).

The model has no masked-language head, so one is made (BERT's: dense, GELU, LayerNorm, then the word-piece
embedding matrix transposed, plus a bias). The head learns alone first (--head-steps, encoder frozen) so that a
random head does not send noise into the encoder; then everything learns but the word-piece embedding matrix,
which stays frozen so that the task models fine-tuned from the result still read the bundled matrix at run time.
Writes a Hugging Face folder (`config.json`, `model.safetensors`, `vocab.txt`) that `train_stance.py --encoder`
reads in place of the bundled model, and the head (`mlm_head.pt`) for `--init` to continue from.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np
from pretrain_text import texts  # type: ignore[import-not-found]  # run as a script from training/
from train_stance import batches  # type: ignore[import-not-found]

from rashomon.nlp.minilm import model_dir
from rashomon.nlp.stance import tokenizer

NEWS = ("polnear", "ptc", "ecbplus", "newsmtsc")
HEAD = "mlm_head.pt"  # the masked-language head, kept to continue with --init
SEQUENCE = 128  # word pieces per input, [CLS] and [SEP] included


def sequences(data: Path) -> list[list[int]]:
    """Word-piece ids of the news paragraphs, cut into inputs of at most `SEQUENCE` pieces."""
    tok = tokenizer()
    out = []
    sources = texts(data, max_words=300, group=10)
    for name in NEWS:
        for text in dict.fromkeys(sources[name]):  # exact repeats once
            ids, _ = tok.split(text)
            for k in range(0, len(ids), SEQUENCE - 2):
                chunk = ids[k : k + SEQUENCE - 2]
                if len(chunk) >= 8:
                    out.append([tok.cls, *chunk, tok.sep])
    return out


def masked(batch: list[list[int]], rng: np.random.Generator, mask_id: int, vocab: int, special: set[int]):  # type: ignore[no-untyped-def]
    """BERT's masking: 15% of the pieces are predicted; of those 80% become [MASK], 10% a random piece, 10% stay."""
    width = max(len(s) for s in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    attention = np.zeros_like(ids)
    for row, s in enumerate(batch):
        ids[row, : len(s)] = s
        attention[row, : len(s)] = 1
    candidates = attention.astype(bool) & ~np.isin(ids, list(special))
    chosen = candidates & (rng.random(ids.shape) < 0.15)
    labels = np.where(chosen, ids, -100)
    roll = rng.random(ids.shape)
    ids = np.where(chosen & (roll < 0.8), mask_id, ids)
    swap = chosen & (roll >= 0.8) & (roll < 0.9)
    ids = np.where(swap, rng.integers(1000, vocab, ids.shape), ids)  # the first 1,000 ids are unused and specials
    return ids, attention, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "output" / "minilm-news")
    parser.add_argument("--init", type=Path, default=None, help="continue from this folder (an earlier --out)")
    parser.add_argument("--epochs", type=float, default=1.0, help="passes over the text (fractions allowed)")
    parser.add_argument("--head-steps", type=int, default=300, help="steps training the new head alone first")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5, help="encoder learning rate")
    parser.add_argument("--head-lr", type=float, default=5e-4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import torch
    from torch import nn
    from transformers import AutoModel

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    shuffle = random.Random(args.seed)
    data = sequences(args.data)
    print(f"{len(data)} inputs, {sum(len(s) for s in data)} pieces", flush=True)

    encoder = AutoModel.from_pretrained(str(args.init or model_dir()), add_pooling_layer=False)
    table = encoder.embeddings.word_embeddings.weight
    table.requires_grad_(False)
    hidden = encoder.config.hidden_size
    head = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.LayerNorm(hidden, eps=1e-12))
    bias = nn.Parameter(torch.zeros(table.shape[0]))
    if args.init is not None and (args.init / HEAD).is_file():  # the head learned before, so no warm-up is needed
        saved = torch.load(args.init / HEAD)
        head.load_state_dict(saved["head"])
        bias.data.copy_(saved["bias"])
    body = [p for p in encoder.parameters() if p.requires_grad]
    tok = tokenizer()
    special = {tok.cls, tok.sep, 0}
    mask_id = tok.pieces.ids["[MASK]"]

    steps_per_epoch = (len(data) + args.batch_size - 1) // args.batch_size
    steps = int(args.epochs * steps_per_epoch)
    head_params = [*head.parameters(), bias]
    optimizer = torch.optim.AdamW(
        [{"params": head_params, "lr": args.head_lr}, {"params": body, "lr": args.lr}], weight_decay=0.01
    )
    warm = max(1, int(0.06 * (steps - args.head_steps)))

    def scale(k: int) -> float:  # the encoder waits for the head, then warms up and decays linearly
        if k < args.head_steps:
            return 0.0
        k -= args.head_steps
        return min((k + 1) / warm, max(0.0, (steps - args.head_steps - k) / max(steps - args.head_steps - warm, 1)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, [lambda k: 1.0, scale])
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    encoder.train()
    started, total, seen, step = time.perf_counter(), 0.0, 0, 0
    queue: list[list[int]] = []
    while step < steps:
        if not queue:
            queue = list(batches([len(s) for s in data], args.batch_size, shuffle))
        rows = queue.pop()
        ids, attention, labels = masked([data[i] for i in rows], rng, mask_id, table.shape[0], special)
        states = encoder(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(attention)).last_hidden_state
        where = torch.from_numpy(labels != -100)
        logits = head(states[where]) @ table.T + bias
        loss = loss_fn(logits, torch.from_numpy(labels)[where])
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([*head_params, *body], 1.0)
        optimizer.step()
        scheduler.step()
        total, seen, step = total + loss.item(), seen + 1, step + 1
        if step % 100 == 0 or step == steps:
            minutes = (time.perf_counter() - started) / 60
            print(
                json.dumps({"step": step, "of": steps, "loss": round(total / seen, 4), "minutes": round(minutes, 1)}),
                flush=True,
            )
            total, seen = 0.0, 0
    args.out.mkdir(parents=True, exist_ok=True)
    encoder.save_pretrained(str(args.out))
    torch.save({"head": head.state_dict(), "bias": bias.detach()}, args.out / HEAD)
    for name in ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"):
        if (model_dir() / name).is_file():
            shutil.copy(model_dir() / name, args.out / name)
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
