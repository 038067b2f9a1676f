#!/usr/bin/env python3
"""PyTorch peer timings on the shapes prune4j measures, in the same GPU window, so every figure
in the device-run table is a ratio measured side by side on one card.

Times torch.mm in fp32 (TF32 off) and bf16, torch.sparse CSR matmul in fp32 at the given
sparsities, and 2:4 semi-structured sparsity (to_sparse_semi_structured, through cuSPARSELt and
through CUTLASS when this torch has them) in bf16. The method matches prune4j's DeviceTimer: a
spin kernel (torch.cuda._sleep) queued before the start event so host submission stays out of
the window, a batch of back-to-back calls per event pair, activations rotated past twice the L2,
values away from zero, median of the samples. Each result is checked against a float64 product
of the same operands. Rows are appended and flushed as they are measured; a failing op becomes
a row with the error and the run goes on.

Usage: torch-peer.py --shapes "m,k,n;m,k,n" [--sparsities 50,90] [--runs 10] --out FILE.csv
Exits 0 with "no CUDA" (writing nothing) where torch or a GPU is missing.
"""
import argparse
import csv
import statistics
import sys
import time

HEADER = ["m", "k", "n", "op", "precision", "sparsity", "status", "median_ms", "min_ms", "max_ms", "batch",
          "rel_error", "note"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shapes", required=True, help="m,k,n triples separated by ';'")
    ap.add_argument("--sparsities", default="50,90", help="CSR sparsities in percent")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--out", required=True)
    ap.add_argument("--budget", type=float, default=240.0, help="seconds; shapes left when it runs out are skipped")
    a = ap.parse_args()
    try:
        import torch
    except ImportError as e:
        print(f"torch-peer: no PyTorch here ({e}); nothing measured")
        return 0
    if not torch.cuda.is_available():
        print(f"torch-peer: no CUDA (torch {torch.__version__}, cuda available: False); nothing measured")
        return 0
    torch.backends.cuda.matmul.allow_tf32 = False
    dev = torch.cuda.get_device_properties(0)
    l2 = getattr(dev, "L2_cache_size", 50 << 20)
    print(f"torch-peer: torch {torch.__version__}, CUDA {torch.version.cuda}, {dev.name}, "
          f"cuSPARSELt {cusparselt_version(torch)}", flush=True)
    shapes = [tuple(int(v) for v in s.split(",")) for s in a.shapes.split(";") if s.strip()]
    sparsities = [float(s) / 100 for s in a.sparsities.split(",") if s.strip()]
    deadline = time.time() + a.budget
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        f.flush()
        for m, k, n in shapes:
            if time.time() > deadline:
                w.writerow([m, k, n, "all", "", "", "not-run", "", "", "", "", "", "budget spent"])
                f.flush()
                continue
            for row in shape_rows(torch, m, k, n, sparsities, a.warmup, a.runs, l2):
                w.writerow(row)
                f.flush()
                print("torch-peer: " + " ".join(str(x) for x in row), flush=True)
    return 0


def cusparselt_version(torch):
    try:
        return torch.backends.cusparselt.version() if torch.backends.cusparselt.is_available() else "absent"
    except Exception as e:  # older torch without the module
        return f"unknown ({type(e).__name__})"


def away_from_zero(torch, rows, cols, gen):
    t = torch.rand(rows, cols, generator=gen, device="cuda") * 0.9 + 0.1
    sign = torch.randint(0, 2, (rows, cols), generator=gen, device="cuda") * 2 - 1
    return t * sign


def time_op(torch, call, copies, warmup, runs):
    """Per-call ms samples: spin, start event, a batch of calls over rotating inputs, end event."""
    for i in range(warmup):
        call(i % copies)
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)

    def sample(first, batch, spin_cycles):
        torch.cuda._sleep(spin_cycles)
        start.record()
        for i in range(batch):
            call((first + i) % copies)
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / batch

    one = sample(0, 1, 100_000)
    batch = max(1, min(64, int(0.2 / max(one, 1e-4)) + 1))
    # about 2 GHz: a spin of a few hundred microseconds covers the host's enqueueing of a batch
    spin = int(min(50e-3, max(50e-6, 4 * 20e-6 * batch)) * 2e9)
    ms = [sample(r * batch, batch, spin) for r in range(runs)]
    return ms, batch


def rel_error(torch, got, want):
    g, t = got.double(), want.double()
    return float(torch.linalg.norm(g - t) / max(float(torch.linalg.norm(t)), 1e-30))


def shape_rows(torch, m, k, n, sparsities, warmup, runs, l2):
    gen = torch.Generator(device="cuda")
    gen.manual_seed(42 + m + k + n)
    a = away_from_zero(torch, m, k, gen)
    copies = max(1, min(16, (2 * l2) // max(1, 4 * (k * n + m * n)) + 1))
    xs = [away_from_zero(torch, k, n, gen) for _ in range(copies)]
    rows = []

    def run(op, precision, sparsity, call, want, got_last, tol):
        try:
            ms, batch = time_op(torch, call, copies, warmup, runs)
            err = rel_error(torch, got_last(), want) if want is not None else float("nan")
            status = "ok" if want is None or err < tol else "mismatch"
            rows.append([m, k, n, op, precision, sparsity, status, f"{statistics.median(ms):.6g}", f"{min(ms):.6g}",
                         f"{max(ms):.6g}", batch, f"{err:.3g}", ""])
        except Exception as e:  # a failing op is a row, and the run goes on
            rows.append([m, k, n, op, precision, sparsity, "error", "", "", "", "", "",
                         f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]])
        torch.cuda.synchronize()

    # dense fp32 and bf16
    want = (a.double() @ xs[0].double())
    out = [None]

    def mm32(i):
        out[0] = torch.mm(a, xs[i])
    run("torch.mm", "fp32", 0, mm32, want, lambda: out[0], 1e-4)
    ab = a.bfloat16()
    xb = [x.bfloat16() for x in xs]
    want_b = ab.double() @ xb[0].double()

    def mm16(i):
        out[0] = torch.mm(ab, xb[i])
    run("torch.mm", "bf16", 0, mm16, want_b, lambda: out[0], 2e-2)

    # CSR fp32 at each sparsity (a random unstructured mask, as prune4j's csr structure)
    for s in sparsities:
        mask = torch.rand(m, k, generator=gen, device="cuda") >= s
        am = a * mask
        try:
            acsr = am.to_sparse_csr()
        except Exception as e:
            rows.append([m, k, n, "torch.sparse.mm csr", "fp32", s, "error", "", "", "", "", "", str(e)[:300]])
            continue
        want_s = am.double() @ xs[0].double()

        def sp(i, acsr=acsr):
            out[0] = torch.sparse.mm(acsr, xs[i])
        run("torch.sparse.mm csr", "fp32", s, sp, want_s, lambda: out[0], 1e-4)
        del acsr

    # 2:4 semi-structured, bf16: keep the two largest of every four along k (magnitude, as tcbench)
    try:
        from torch.sparse import SparseSemiStructuredTensor, to_sparse_semi_structured
    except ImportError as e:
        rows.append([m, k, n, "semi-structured 2:4", "bf16", 0.5, "unsupported", "", "", "", "", "", str(e)[:300]])
        return rows
    g = ab.abs().reshape(m, k // 4, 4)
    keep = torch.zeros_like(g, dtype=torch.bool).scatter_(2, g.topk(2, dim=2).indices, True).reshape(m, k)
    a24 = ab * keep
    want_24 = a24.double() @ xb[0].double()
    for label, force_cutlass in (("cuSPARSELt", False), ("CUTLASS", True)):
        try:
            SparseSemiStructuredTensor._FORCE_CUTLASS = force_cutlass
            asp = to_sparse_semi_structured(a24)
        except Exception as e:
            rows.append([m, k, n, f"semi-structured 2:4 {label}", "bf16", 0.5, "unsupported", "", "", "", "", "",
                         f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]])
            continue

        def semi(i, asp=asp):
            out[0] = torch.mm(asp, xb[i])
        run(f"semi-structured 2:4 {label}", "bf16", 0.5, semi, want_24, lambda: out[0], 2e-2)
        rows[-1][-1] = (rows[-1][-1] + " " if rows[-1][-1] else "") + type(asp).__name__
    return rows


if __name__ == "__main__":
    sys.exit(main())
