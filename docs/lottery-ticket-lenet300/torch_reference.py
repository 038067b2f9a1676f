#!/usr/bin/python3
"""Independent PyTorch reference for Prune4J's lottery-ticket experiment (LeNet-300-100, Fashion-MNIST).

What this is
------------
A self-contained re-implementation, in plain PyTorch (written against torch 1.13, Debian's
python3-torch; run it with /usr/bin/python3), of the protocol that ``./prune4j lottery --preset
lenet300-lth`` runs (docs/lottery-ticket-lenet300.md).  It imports nothing from Prune4J; the Java
sources were only read to learn the protocol.  Its purpose is a same-data reference that the Java
results can be placed next to: same data files, same split sizes, same architecture,
initialisation, optimiser, schedule, pruning rule and controls -- but independent code and
independent random streams.

Protocol (as in the Java implementation; Java file names in brackets)
--------------------------------------------------------------------
* Data: Fashion-MNIST idx files (gzipped or not) from /usr/share/datasets/fashion-mnist.
  Pixels are byte/255.  The 60,000 training images are shuffled with the seed and the *last*
  5,000 of the shuffled order are held out for validation, the first 55,000 are trained on;
  the 10,000 test images are the test set [data/ImageData.java: load, split].  One scalar mean
  and one scalar (population) standard deviation over all pixels of the 55,000 training images
  (one channel) standardise all three splits: x' = (x - mean) * (1 / std) [ImageData.meanStd,
  standardise].
* Model: LeNet-300-100, 784-300-100-10, ReLU after fc1 and fc2, no softmax in the model
  [nn/Models.java "lenet300"].  Weights Glorot-normal: N(0, sqrt(2 / (fan_in + fan_out))),
  untruncated; biases start at 0 [nn/Initialiser.java GLOROT_NORMAL, nn/Model.initialise].
  Only the three weight matrices are prunable; biases are never pruned, they are trained, and
  they are rewound with everything else (to 0) [nn/Model.prunable, prune/Reset.loadValues].
* Training: Adam (beta1 0.9, beta2 0.999, eps 1e-8, bias-corrected, no weight decay), constant
  learning rate 1.2e-3, batch 60, mean softmax cross-entropy over the batch, 50,000 iterations
  per network, optimiser state fresh for every network [cli/Preset.java LENET300_LTH,
  nn/Optimizer.named, nn/Adam.java, train/Trainer.java].  Batches are *epochs of reshuffled
  data*: each epoch is a fresh permutation of the 55,000 training examples, drawn from the
  seed and the epoch number only, cut into floor(55000 / 60) = 916 batches (the last 40
  examples of each permutation are skipped) [data/BatchOrder.java].  The batch order depends
  on the seed only, so every network of one seed (all rounds, all branches) sees the same
  sequence of batches.
* Evaluation: validation (5,000) and test (10,000) mean loss and accuracy before training
  (iteration 0), after every 100 iterations, and after the last iteration [Trainer.train,
  train/Evaluation.java].  The "early-stopping iteration" is the evaluation with the lowest
  validation loss (ties: the earliest), iteration 0 included; the reported accuracy is the test
  accuracy at that evaluation.  Nothing actually stops: all 50,000 iterations run, and the final
  test accuracy is recorded too [train/TrainResult.earlyStop].
* Pruning (rewound IMP, the "ticket" chain): round 0 trains the dense network from the initial
  weights.  Round r >= 1 takes the *trained* weights of round r-1 under their mask, and in each
  layer separately keeps the largest-|w| live weights: round(alive * k) of them, with
  k = 0.8**r / 0.8**(r-1) (= 0.8) for fc1 and fc2 and 1 - (1 - k) * 0.5 (= 0.9) for the output
  layer fc3; round() is Java's Math.round (half up); ties in |w| keep the lower flat position
  (row-major, weight stored outputs x inputs) [experiment/ExperimentRun.runMain,
  prune/Schedule.Iterative, prune/LayerwiseScope.select, prune/TopK.keep,
  prune/MagnitudeScore].  Then all parameter values (weights and biases) are reset to their
  values at initialisation, the new mask applied (rewind to iteration 0) [prune/Reset.RewindToInit],
  and the network is trained again.  10 rounds give 10.7% of each hidden layer, 34.8% of the
  output layer, 10.8% of all 266,200 weights.  Pruned weights stay exactly 0 during training
  (their gradients are masked, so Adam's moments for them stay 0).
* Controls at every round r >= 1, on the ticket's per-layer counts of that round
  [ExperimentRun.runControl]:
    - reinit: the ticket's mask of round r with freshly drawn Glorot-normal weights (a new draw
      per round), biases 0;
    - random: in each layer a uniformly random mask with the same number of kept weights
      (drawn over the whole layer, not within the ticket's survivors; a new draw per round),
      on the original initial weights of the seed, biases 0 [prune/Unstructured.randomLike];
    - supermask (optional, not in the default branches here): the ticket's mask on the
      initial weights replaced by sign(w0) * std of the layer's Glorot normal, evaluated
      without training [prune/Reset.SignedConstant].
  Each control is trained exactly like the ticket (same iterations, same batch order).

How it differs from the Java implementation
--------------------------------------------
* Random streams.  The Java code draws from its own generator (org.prune4j.tensor.Rng); this
  script uses torch.Generator / numpy Generators seeded from (seed, purpose) through SHA-256.
  The validation split, the initial weights, the batch order, the reinit draws and the random
  masks therefore all differ from the Java run with the same seed number: seed s here does NOT
  correspond to seed s there.  Compare distributions over seeds, not individual runs.
* Numerics.  Float32 everywhere as in the Java code, but PyTorch's BLAS and reduction orders
  differ from Prune4J's kernels (masked dense GEMM and, below density 0.25, CSR SpMM/SDDMM), so
  even with identical random streams the trajectories would diverge after a few hundred steps.
  Masked weights are kept at 0 by masking their gradients and re-applying the mask after each
  Adam step; Prune4J's kernels skip them.  The results are equivalent in exact arithmetic.
* Prune4J's train loss in the curve is the mean over the examples since the last evaluation;
  here it is the same.  The per-layer counts (weights left per round) match the Java exactly
  (checked against docs/lottery-ticket-lenet300/results.csv for 14 rounds).
* Determinism.  The ticket chain is deterministic per seed for a fixed --threads (PyTorch CPU
  kernels are deterministic at a fixed thread count); a different --threads can change the
  last bits of sums and hence, eventually, the trajectory.  --threads is recorded in
  settings.json and a resume with another value is refused unless --allow-thread-change.
* Iteration-0 early stop and ties follow the Java rule; the Java also guards numerically
  (NumericGuard) and fails on divergence; here a non-finite loss raises an error.
* The Java evaluates in batches of 1,000 images; here each split goes through in one batch
  (the same mean loss and accuracy up to float rounding).
* Threads: Debian's torch multiplies matrices in the system OpenBLAS, whose thread pool
  torch.set_num_threads does not bound; the script sets OPENBLAS_NUM_THREADS (and
  OMP/MKL_NUM_THREADS) to --threads before torch loads, unless already set.
* Cost (measured 2026-11-30 on the 2-core EPYC VM, --threads 1, while a Java job loaded both
  cores): 3.9-4.3 CPU s per 1,000 iterations including the evaluation every 100 (7.3-7.6 s wall
  under that load), i.e. about 3.5 CPU minutes per 50,000-iteration network and about 1.8 CPU
  hours per seed (31 trained networks); about twice that in wall time on shared cores.

Usage
-----
    /usr/bin/python3 torch_reference.py --out runs/torch-lth                 # 1 seed, 10 rounds
    /usr/bin/python3 torch_reference.py --seeds 5 --out runs/torch-lth       # seeds 1..5
    /usr/bin/python3 torch_reference.py --seeds 2,7 --out runs/torch-lth     # seeds 2 and 7
    /usr/bin/python3 torch_reference.py --summary --out runs/torch-lth       # Markdown table

Rerunning with the same --out skips every network that has a row in OUT/results.csv and
continues; the round count and the branches may change between runs, --iterations,
--eval-every and --data may not.  Files in OUT: settings.json, results.csv (one row per finished
network), curves/seed-S-round-RR-BRANCH.csv (every evaluation), seed-S/init.pt (initial weights),
seed-S/ticket-RR.pt (round RR's ticket mask and its trained weights, what round RR+1 prunes).
"""

import argparse
import csv
import gzip
import hashlib
import json
import math
import os
import struct
import sys
import time



def _threads_from_argv(argv):
    """--threads as given on the command line (default 1), read before torch and numpy load."""
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "1"


# Debian's torch does its matrix products in the system BLAS (OpenBLAS, pthreads), which starts
# one thread per core unless told otherwise before it loads: torch.set_num_threads alone does not
# bound it, and an unbounded pool on shared cores costs more than it gains.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, _threads_from_argv(sys.argv[1:]))

try:
    import numpy as np
except ImportError:  # pragma: no cover
    sys.exit("error: numpy is missing; install python3-numpy (apt-get install python3-numpy)")
try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover
    sys.exit("error: PyTorch is missing for " + sys.executable + "; run this script with /usr/bin/python3 "
             "(Debian's python3-torch: apt-get install python3-torch) or install torch for this interpreter")

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
SIZES = (784, 300, 100, 10)
LAYERS = ("fc1", "fc2", "fc3")
LR = 1.2e-3
BATCH = 60
VALIDATION = 5000
HIDDEN_RATE = 0.2          # fraction of the live weights of fc1 and fc2 removed per round
OUTPUT_RATE_SCALE = 0.5    # fc3 loses half that fraction: 10% per round
ALL_BRANCHES = ("ticket", "reinit", "random", "supermask")
DEFAULT_BRANCHES = ("ticket", "reinit", "random")
FIELDS = ["seed", "round", "branch", "weights_left", "weights_total", "weights_left_fraction",
          "density_fc1", "density_fc2", "density_fc3", "early_stop_iteration", "early_stop_val_loss",
          "test_acc_at_early_stop", "final_test_acc", "iterations", "seconds"]


# ---------------------------------------------------------------- random streams

def stream_seed(*parts):
    """A 63-bit seed for one purpose, from the run seed and labels: independent streams."""
    h = hashlib.sha256(("prune4j-torch-reference/" + "/".join(str(p) for p in parts)).encode()).digest()
    return int.from_bytes(h[:8], "little") & ((1 << 63) - 1)


def generator(*parts):
    g = torch.Generator()
    g.manual_seed(stream_seed(*parts))
    return g


# ---------------------------------------------------------------- data

def read_idx(folder, base):
    for name in (base + ".gz", base, base.replace("-idx", ".idx")):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            break
    else:
        present = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        sys.exit("error: %s[.gz] not found in %s (it holds %s). Fashion-MNIST comes with Debian's "
                 "dataset-fashion-mnist package (apt-get install dataset-fashion-mnist), or pass --data DIR with "
                 "the four idx files" % (base, folder, present))
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit("error: %s is not an unsigned-byte idx file" % path)
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        sys.exit("error: %s holds %d values, its header says %s" % (path, data.size, dims))
    return data.reshape(dims)


def load_data(folder, seed):
    """(train, validation, test) as (float32 images n x 784, int64 labels), standardised."""
    if not os.path.isdir(folder):
        sys.exit("error: no data folder %s; install Debian's dataset-fashion-mnist (apt-get install "
                 "dataset-fashion-mnist) or pass --data DIR with train-images-idx3-ubyte[.gz] and the other "
                 "three idx files" % folder)
    xtr = read_idx(folder, "train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / np.float32(255)
    ytr = read_idx(folder, "train-labels-idx1-ubyte").astype(np.int64)
    xte = read_idx(folder, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / np.float32(255)
    yte = read_idx(folder, "t10k-labels-idx1-ubyte").astype(np.int64)
    if len(xtr) != len(ytr) or len(xte) != len(yte):
        sys.exit("error: image and label counts differ in " + folder)
    order = np.random.default_rng(stream_seed(seed, "validation-split")).permutation(len(xtr))
    n_train = len(xtr) - VALIDATION
    tr, va = order[:n_train], order[n_train:]
    # one scalar mean and population std over every pixel of the images trained on
    px = xtr[tr].astype(np.float64)
    mean = px.mean()
    std = math.sqrt(max((px * px).mean() - mean * mean, 1e-12))
    m32, inv = np.float32(mean), np.float32(1.0 / std)

    def split(x, y):
        return torch.from_numpy(np.ascontiguousarray((x - m32) * inv)), torch.from_numpy(np.ascontiguousarray(y))

    return split(xtr[tr], ytr[tr]), split(xtr[va], ytr[va]), split(xte, yte), (mean, std)


# ---------------------------------------------------------------- model

def glorot_std(fan_in, fan_out):
    return math.sqrt(2.0 / (fan_in + fan_out))


def fresh_weights(*stream):
    """Glorot-normal weights (outputs x inputs), zero biases, from the stream named by ``stream``."""
    g = generator(*stream)
    params = {}
    for name, fan_in, fan_out in zip(LAYERS, SIZES[:-1], SIZES[1:]):
        params[name + ".weight"] = torch.randn(fan_out, fan_in, generator=g) * glorot_std(fan_in, fan_out)
        params[name + ".bias"] = torch.zeros(fan_out)
    return params


def forward(p, x):
    h = torch.relu(torch.addmm(p["fc1.bias"], x, p["fc1.weight"].t()))
    h = torch.relu(torch.addmm(p["fc2.bias"], h, p["fc2.weight"].t()))
    return torch.addmm(p["fc3.bias"], h, p["fc3.weight"].t())


def dense_masks():
    return {n: torch.ones(o, i, dtype=torch.bool) for n, i, o in zip(LAYERS, SIZES[:-1], SIZES[1:])}


def counts(masks):
    return {n: int(masks[n].sum()) for n in LAYERS}


# ---------------------------------------------------------------- pruning

def java_round(x):
    return int(math.floor(x + 0.5))


def keep_fraction(r):
    """The fraction of fc1/fc2's live weights round r keeps, computed as the Java does."""
    return (1 - HIDDEN_RATE) ** r / (1 - HIDDEN_RATE) ** (r - 1)


def magnitude_masks(trained, masks, r):
    """Round r's ticket mask: per layer the round(alive * k) largest |w| among live weights."""
    k = keep_fraction(r)
    out = {}
    for i, n in enumerate(LAYERS):
        kk = 1 - (1 - k) * OUTPUT_RATE_SCALE if i == len(LAYERS) - 1 else k
        alive = masks[n].reshape(-1).numpy()
        target = java_round(int(alive.sum()) * kk)
        score = np.abs(trained[n + ".weight"].reshape(-1).numpy()).astype(np.float64)
        score[~alive] = -1.0  # dead weights rank below every live one (|w| >= 0)
        pos = np.arange(score.size)
        order = np.lexsort((pos, -score))  # by |w| descending, then by position ascending
        keep = np.zeros(score.size, dtype=bool)
        keep[order[:target]] = True
        assert not (keep & ~alive).any()
        out[n] = torch.from_numpy(keep.reshape(masks[n].shape))
    return out


def random_masks(ticket_masks, *stream):
    """Per layer, a uniformly random mask over the whole layer with the ticket's kept count."""
    g = generator(*stream)
    out = {}
    for n in LAYERS:
        m = ticket_masks[n]
        keep = torch.zeros(m.numel(), dtype=torch.bool)
        keep[torch.randperm(m.numel(), generator=g)[:int(m.sum())]] = True
        out[n] = keep.reshape(m.shape)
    return out


def apply_masks(params, masks):
    p = {k: v.clone() for k, v in params.items()}
    for n in LAYERS:
        p[n + ".weight"].mul_(masks[n])
    return p


def signed_constant(params, masks):
    p = apply_masks(params, masks)
    for n, fan_in, fan_out in zip(LAYERS, SIZES[:-1], SIZES[1:]):
        w = p[n + ".weight"]
        p[n + ".weight"] = torch.sign(w) * glorot_std(fan_in, fan_out)
    return p


# ---------------------------------------------------------------- training

@torch.no_grad()
def evaluate(p, data):
    x, y = data
    logits = forward(p, x)
    loss = F.cross_entropy(logits, y, reduction="sum").item() / len(y)
    acc = (logits.argmax(1) == y).sum().item() / len(y)
    return loss, acc


class BatchOrder:
    """Epochs of fresh permutations from (seed, epoch): iteration t sees the same batch in every network."""

    def __init__(self, n, batch, seed):
        self.n, self.batch, self.seed = n, batch, seed
        self.per_epoch = n // batch
        self.epoch, self.perm = -1, None

    def indices(self, it):
        e = it // self.per_epoch
        if e != self.epoch:
            self.perm = torch.randperm(self.n, generator=generator(self.seed, "batch-order", e))
            self.epoch = e
        off = (it % self.per_epoch) * self.batch
        return self.perm[off:off + self.batch]


def train(start, masks, data, seed, iterations, eval_every, label, log_every):
    """Trains one network; returns (curve, trained params). curve: list of eval dicts."""
    train_set, val_set, test_set = data
    xtr, ytr = train_set
    params = apply_masks(start, masks)
    for v in params.values():
        v.requires_grad_(True)
    weights = [(params[n + ".weight"], masks[n].to(torch.float32)) for n in LAYERS
               if not bool(masks[n].all())]
    opt = torch.optim.Adam(list(params.values()), lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    order = BatchOrder(len(ytr), BATCH, seed)
    curve = []

    def record(it, train_loss):
        vl, va = evaluate(params, val_set)
        tl, ta = evaluate(params, test_set)
        if not (math.isfinite(vl) and math.isfinite(tl)):
            raise FloatingPointError("%s: non-finite loss at iteration %d" % (label, it))
        curve.append(dict(iteration=it, train_loss=train_loss, val_loss=vl, val_acc=va, test_loss=tl, test_acc=ta))

    record(0, float("nan"))
    loss_sum = torch.zeros(())
    seen = 0
    t0, c0 = time.time(), time.process_time()
    for it in range(iterations):
        idx = order.indices(it)
        logits = forward(params, xtr[idx])
        loss = F.cross_entropy(logits, ytr[idx])
        opt.zero_grad(set_to_none=False)
        loss.backward()
        for w, m in weights:
            w.grad.mul_(m)
        opt.step()
        with torch.no_grad():
            for w, m in weights:
                w.mul_(m)
            loss_sum += loss.detach() * len(idx)
        seen += len(idx)
        done = it + 1
        if done % eval_every == 0 or done == iterations:
            tl = loss_sum.item() / seen
            if not math.isfinite(tl):
                raise FloatingPointError("%s: training loss is not finite at iteration %d" % (label, done))
            record(done, tl)
            loss_sum.zero_()
            seen = 0
            if log_every and (len(curve) - 1) % log_every == 0 or done == iterations:
                c = curve[-1]
                el, cpu = time.time() - t0, time.process_time() - c0
                print("%s it %d/%d train loss %.4f val loss %.4f val %.2f%% test %.2f%% (%.1f s, %.2f s/1k it; "
                      "cpu %.2f s/1k it)" % (label, done, iterations, c["train_loss"], c["val_loss"],
                                             100 * c["val_acc"], 100 * c["test_acc"], el, 1000 * el / done,
                                             1000 * cpu / done), flush=True)
    trained = {k: v.detach().clone() for k, v in params.items()}
    return curve, trained


def early_stop(curve):
    return min(curve, key=lambda c: (c["val_loss"], c["iteration"]))


# ---------------------------------------------------------------- files

def atomic_save(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def load_results(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def append_result(path, row):
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        if new:
            w.writeheader()
        w.writerow(row)
        f.flush()
        os.fsync(f.fileno())


def write_curve(path, curve):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["iteration", "train_loss", "val_loss", "val_acc", "test_loss", "test_acc"])
        w.writeheader()
        for c in curve:
            w.writerow(c)
    os.replace(tmp, path)


def check_settings(out, settings, allow_thread_change):
    path = os.path.join(out, "settings.json")
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
        for key in ("iterations", "eval_every", "data", "protocol"):
            if old.get(key) != settings[key]:
                sys.exit("error: %s was run with %s=%r, this run asks for %r; use another --out"
                         % (out, key, old.get(key), settings[key]))
        if old.get("threads") != settings["threads"] and not allow_thread_change:
            sys.exit("error: %s was run with --threads %s; rerun with that, or pass --allow-thread-change "
                     "(the ticket chain may then differ in its last bits from a run that kept one setting)"
                     % (out, old.get("threads")))
        return
    with open(path, "w") as f:
        json.dump(settings, f, indent=2)
        f.write("\n")


# ---------------------------------------------------------------- experiment

def run_seed(seed, args, results_path, done):
    data_all = load_data(args.data, seed)
    train_set, val_set, test_set, (mean, std) = data_all
    data = (train_set, val_set, test_set)
    print("seed %d: %d train, %d validation, %d test; pixel mean %.6f std %.6f"
          % (seed, len(train_set[1]), len(val_set[1]), len(test_set[1]), mean, std), flush=True)
    folder = os.path.join(args.out, "seed-%d" % seed)
    os.makedirs(folder, exist_ok=True)
    os.makedirs(os.path.join(args.out, "curves"), exist_ok=True)
    init_path = os.path.join(folder, "init.pt")
    if os.path.exists(init_path):
        init = torch.load(init_path)
    else:
        init = fresh_weights(seed, "init")
        atomic_save(init, init_path)
    total = sum(SIZES[i] * SIZES[i + 1] for i in range(len(SIZES) - 1))

    def finish(r, branch, masks, curve, seconds):
        es, last = early_stop(curve), curve[-1]
        c = counts(masks)
        left = sum(c.values())
        row = dict(seed=seed, round=r, branch=branch, weights_left=left, weights_total=total,
                   weights_left_fraction="%.6f" % (left / total),
                   **{"density_" + n: "%.6f" % (c[n] / masks[n].numel()) for n in LAYERS},
                   early_stop_iteration=es["iteration"], early_stop_val_loss="%.6f" % es["val_loss"],
                   test_acc_at_early_stop="%.4f" % es["test_acc"], final_test_acc="%.4f" % last["test_acc"],
                   iterations=last["iteration"], seconds="%.1f" % seconds)
        write_curve(os.path.join(args.out, "curves", "seed-%d-round-%02d-%s.csv" % (seed, r, branch)), curve)
        append_result(results_path, row)
        done.add((seed, r, branch))
        print("seed %d round %d %-9s %6.2f%% weights: test %.2f%% at early stop (iteration %d), final %.2f%%, "
              "%.0f s" % (seed, r, branch, 100 * left / total, 100 * es["test_acc"], es["iteration"],
                          100 * last["test_acc"], seconds), flush=True)

    masks = dense_masks()
    for r in range(args.rounds + 1):
        ckpt = os.path.join(folder, "ticket-%02d.pt" % r)
        label = "seed %d round %d ticket" % (seed, r)
        state = torch.load(ckpt) if os.path.exists(ckpt) else None
        if state is not None:
            masks = state["masks"]
            if (seed, r, "ticket") not in done:  # stopped between the checkpoint and the CSV row
                finish(r, "ticket", masks, state["curve"], state["seconds"])
        else:
            if r > 0:
                prev = torch.load(os.path.join(folder, "ticket-%02d.pt" % (r - 1)))
                masks = magnitude_masks(prev["trained"], prev["masks"], r)
            if (seed, r, "ticket") in done:
                print(label + ": result present but checkpoint missing; retraining it for the chain "
                      "(deterministic at the same --threads)", flush=True)
            t0 = time.time()
            curve, trained = train(init, masks, data, seed, args.iterations, args.eval_every, label, args.log_every)
            seconds = time.time() - t0
            atomic_save({"masks": masks, "trained": trained, "round": r, "seed": seed, "curve": curve,
                         "seconds": seconds}, ckpt)
            if (seed, r, "ticket") not in done:
                finish(r, "ticket", masks, curve, seconds)
        if r == 0:
            continue
        for branch in args.branches:
            if branch == "ticket" or (seed, r, branch) in done:
                continue
            label = "seed %d round %d %s" % (seed, r, branch)
            t0 = time.time()
            if branch == "reinit":
                bm, start = masks, fresh_weights(seed, "reinit", r)
            elif branch == "random":
                bm, start = random_masks(masks, seed, "random-mask", r), init
            else:  # supermask: no training, one evaluation
                bm = masks
                p = signed_constant(init, masks)
                vl, va = evaluate(p, val_set)
                tl, ta = evaluate(p, test_set)
                curve = [dict(iteration=0, train_loss=float("nan"), val_loss=vl, val_acc=va, test_loss=tl,
                              test_acc=ta)]
                finish(r, branch, bm, curve, time.time() - t0)
                continue
            curve, _ = train(start, bm, data, seed, args.iterations, args.eval_every, label, args.log_every)
            finish(r, branch, bm, curve, time.time() - t0)


def parse_seeds(text):
    """'N' means seeds 1..N; 'a,b,c' or 'a-b' (or a mix) lists them explicitly."""
    text = text.strip()
    if text.isdigit():
        return list(range(1, int(text) + 1))
    seeds = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            seeds.extend(range(int(a), int(b) + 1))
        else:
            seeds.append(int(part))
    if not seeds:
        raise argparse.ArgumentTypeError("no seeds in %r" % text)
    return seeds


def parse_branches(text):
    bs = [b.strip() for b in text.split(",") if b.strip()]
    for b in bs:
        if b not in ALL_BRANCHES:
            raise argparse.ArgumentTypeError("unknown branch %r; choose from %s" % (b, ", ".join(ALL_BRANCHES)))
    if "ticket" not in bs:
        bs.insert(0, "ticket")  # the controls need the ticket chain's masks
    return bs


# ---------------------------------------------------------------- summary

def summary(out):
    rows = load_results(os.path.join(out, "results.csv"))
    if not rows:
        sys.exit("error: no results in %s" % os.path.join(out, "results.csv"))
    groups = {}
    for r in rows:
        groups.setdefault((int(r["round"]), r["branch"]), []).append(r)
    branches = [b for b in ALL_BRANCHES if any(k[1] == b for k in groups)]
    rounds = sorted({k[0] for k in groups})
    seeds = sorted({int(r["seed"]) for r in rows})

    def ms(values, fmt):
        v = np.array(values, dtype=float)
        if len(v) == 0:
            return "—"
        if len(v) == 1:
            return fmt % v[0]
        return (fmt + " ± " + fmt) % (v.mean(), v.std(ddof=1))

    print("Test accuracy at early stopping (%%), mean ± sd over seeds %s (sd: n-1); early-stopping iteration, "
          "mean ± sd; n = networks per cell.\n" % ",".join(map(str, seeds)))
    head = "| round | weights left | fc1 / fc2 / fc3 density |"
    rule = "|---:|---:|---|"
    for b in branches:
        head += " %s | early-stop it. | n |" % b
        rule += "---:|---:|---:|"
    print(head)
    print(rule)
    for rd in rounds:
        any_rows = [r for b in branches for r in groups.get((rd, b), [])]
        t = groups.get((rd, "ticket"), any_rows)
        frac = np.mean([float(r["weights_left_fraction"]) for r in t])
        dens = " / ".join("%.3f" % np.mean([float(r["density_" + n]) for r in t]) for n in LAYERS)
        line = "| %d | %.1f%% | %s |" % (rd, 100 * frac, dens)
        for b in branches:
            g = groups.get((rd, b), [])
            line += " %s | %s | %d |" % (ms([100 * float(r["test_acc_at_early_stop"]) for r in g], "%.2f"),
                                         ms([float(r["early_stop_iteration"]) for r in g], "%.0f"), len(g))
        print(line)


JAVA_METHODS = {"ticket": "lottery ticket (IMP, rewind)", "reinit": "random reinit", "random": "random pruning"}


def compare_java(out, java_csv):
    """A side-by-side table: Prune4J's pooled runs (`prune4j report --compare`'s comparison.csv)
    and this reference, per branch and weights left, test accuracy at early stopping."""
    import csv
    rows = load_results(os.path.join(out, "results.csv"))
    if not rows:
        sys.exit("error: no results in %s" % os.path.join(out, "results.csv"))
    with open(java_csv, newline="") as f:
        java = list(csv.DictReader(f))
    ours = {}
    for r in rows:
        key = ("ticket" if int(r["round"]) == 0 else r["branch"], round(100 * float(r["weights_left_fraction"]), 2))
        ours.setdefault(key, []).append(100 * float(r["test_acc_at_early_stop"]))
    print("Test accuracy at early stopping (%): Prune4J mean ± sd (95% interval half-width) over its seeds, "
          "next to this PyTorch reference's mean ± sd; n = seeds.\n")
    print("| branch | weights left | Prune4J | n | PyTorch reference | n | difference |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for branch in ("ticket", "reinit", "random"):
        for j in java:
            method = j["method"]
            if method != JAVA_METHODS[branch] and not (branch == "ticket" and method == "dense"):
                continue
            pct = round(float(j["percent_remaining"]), 2)
            mean, sd, ci = (100 * float(j[k]) for k in ("mean_early_stop_test_accuracy", "std", "ci95"))
            ref = np.array(ours.get((branch, pct), []), dtype=float)
            if len(ref) == 0:
                ref_cell, diff = "—", ""
            else:
                ref_cell = "%.2f" % ref.mean() + (" ± %.2f" % ref.std(ddof=1) if len(ref) > 1 else "")
                diff = "%+.2f" % (mean - ref.mean())
            name = "dense" if method == "dense" else branch
            print("| %s | %.1f%% | %.2f ± %.2f (± %.2f) | %s | %s | %d | %s |" % (name, pct, mean, sd, ci, j["networks"],
                                                                             ref_cell, len(ref), diff))


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description="Independent PyTorch reference of Prune4J's lottery-ticket protocol "
                                             "(LeNet-300-100, Fashion-MNIST). See the module docstring.")
    ap.add_argument("--seeds", type=parse_seeds, default=[1],
                    help="N for seeds 1..N, or a list such as 2,7 or 3-5 (default 1)")
    ap.add_argument("--rounds", type=int, default=10, help="pruning rounds after the dense round 0 (default 10)")
    ap.add_argument("--iterations", type=int, default=50000, help="training iterations per network (default 50000)")
    ap.add_argument("--eval-every", type=int, default=100, help="evaluate validation and test every N iterations")
    ap.add_argument("--branches", type=parse_branches, default=list(DEFAULT_BRANCHES),
                    help="comma list of ticket, reinit, random, supermask (default ticket,reinit,random; the "
                         "ticket chain always runs)")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    ap.add_argument("--out", required=True, help="output folder (created; reused to resume)")
    ap.add_argument("--data", default=DEFAULT_DATA, help="folder with the Fashion-MNIST idx files (default %s)"
                    % DEFAULT_DATA)
    ap.add_argument("--log-every", type=int, default=10,
                    help="print a progress line every N evaluations (default 10 = every 1,000 iterations); 0: "
                         "only one line per network")
    ap.add_argument("--allow-thread-change", action="store_true",
                    help="resume with another --threads than the run started with")
    ap.add_argument("--summary", action="store_true", help="print a Markdown table from OUT/results.csv and exit")
    ap.add_argument("--compare-java", metavar="CSV",
                    help="with --summary: print this reference next to Prune4J's pooled runs, the comparison.csv "
                         "that `prune4j report --compare` writes")
    args = ap.parse_args(argv)

    if args.compare_java and not args.summary:
        ap.error("--compare-java goes with --summary")
    if args.summary:
        if args.compare_java:
            compare_java(args.out, args.compare_java)
        else:
            summary(args.out)
        return
    if args.rounds < 0 or args.iterations < 1 or args.eval_every < 1 or args.threads < 1:
        ap.error("--rounds must be >= 0, --iterations, --eval-every and --threads >= 1")
    torch.set_num_threads(args.threads)
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads):
        print("warning: OPENBLAS_NUM_THREADS=%s in the environment, --threads %d; the BLAS uses the former"
              % (os.environ.get("OPENBLAS_NUM_THREADS"), args.threads), flush=True)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    os.makedirs(args.out, exist_ok=True)
    args.data = os.path.realpath(args.data)
    settings = dict(protocol="lenet300-lth torch reference v1", data=args.data, iterations=args.iterations,
                    eval_every=args.eval_every, threads=args.threads, batch=BATCH, learning_rate=LR,
                    validation=VALIDATION, hidden_rate=HIDDEN_RATE, output_rate_scale=OUTPUT_RATE_SCALE,
                    torch=torch.__version__, python=sys.version.split()[0])
    check_settings(args.out, settings, args.allow_thread_change)
    results_path = os.path.join(args.out, "results.csv")
    done = {(int(r["seed"]), int(r["round"]), r["branch"]) for r in load_results(results_path)}
    print("torch %s, %d thread(s); seeds %s, rounds 0..%d, branches %s, %d iterations, eval every %d; out %s; "
          "%d networks already done" % (torch.__version__, torch.get_num_threads(), args.seeds, args.rounds,
                                        ",".join(args.branches), args.iterations, args.eval_every, args.out,
                                        len(done)), flush=True)
    for seed in args.seeds:
        run_seed(seed, args, results_path, done)
    print("done; summary with --summary --out " + args.out, flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("\ninterrupted; finished networks are in results.csv: rerun with the same --out to continue")
