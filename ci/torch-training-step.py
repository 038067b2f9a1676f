#!/usr/bin/env python3
"""PyTorch peer for `prune4j bench --training`: times dense training steps (forward, softmax
cross-entropy, backward, Adam) of the same models at the same batch sizes, on the CPU with one
thread per core, or on CUDA with events when --device cuda. Prints CSV rows on stdout:
model,batch,device,median_ms,min_ms,threads,torch. Exits 3 when torch is missing."""
import argparse
import os
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    print("torch is not installed for " + sys.executable, file=sys.stderr)
    sys.exit(3)


def model(name):
    if name == "lenet300":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
                             nn.Linear(100, 10)), (1, 28, 28)
    if name == "conv4":
        return nn.Sequential(nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(),
                             nn.Conv2d(128, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(128 * 7 * 7, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                             nn.Linear(256, 10)), (1, 28, 28)
    if name == "mlp4096":
        return nn.Sequential(nn.Flatten(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(),
                             nn.Linear(4096, 10)), (1, 64, 64)
    raise SystemExit("unknown model " + name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--specs", default="lenet300:60,conv4:60,mlp4096:256")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    dev = torch.device(a.device)
    if a.device == "cpu":
        torch.set_num_threads(os.cpu_count())
    elif not torch.cuda.is_available():
        print("no CUDA device visible to torch", file=sys.stderr)
        sys.exit(4)
    torch.manual_seed(1)
    print("model,batch,device,median_ms,min_ms,threads,torch")
    for spec in a.specs.split(","):
        name, batch = spec.split(":")
        batch = int(batch)
        net, shape = model(name)
        net = net.to(dev)
        opt = torch.optim.Adam(net.parameters(), lr=1e-4)
        loss = nn.CrossEntropyLoss()
        x = torch.randn(batch, *shape, device=dev)
        y = torch.randint(0, 10, (batch,), device=dev)

        def step():
            opt.zero_grad(set_to_none=True)
            loss(net(x), y).backward()
            opt.step()

        for _ in range(a.warmup):
            step()
        times = []
        began = time.perf_counter()
        # at least --runs steps and at least a second of them, as the Java side measures
        while len(times) < a.runs or (time.perf_counter() - began < 1.0 and len(times) < 5000):
            if a.device == "cpu":
                t0 = time.perf_counter()
                step()
                times.append((time.perf_counter() - t0) * 1e3)
            else:
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                step()
                end.record()
                torch.cuda.synchronize()
                times.append(start.elapsed_time(end))
        print(f"{name},{batch},{a.device},{statistics.median(times):.3f},{min(times):.3f},"
              f"{torch.get_num_threads()},{torch.__version__}", flush=True)


if __name__ == "__main__":
    main()
