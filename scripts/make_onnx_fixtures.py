#!/usr/bin/python3
"""Exports the ONNX fixtures of tests/tools/fixtures/onnx/ with Debian's PyTorch.

Each fixture is NAME.onnx, NAME.input0.npy (seeded float32 input, NCHW/NCW as PyTorch takes it)
and NAME.outputK.npy (the float32 outputs PyTorch computes for that input). The tests import the
.onnx files with mote's importer, run them through mote's runtime and compare with the outputs, so
they need no torch; only this script does.

Regenerate (needs Debian's python3-torch, which scripts/install-deps.sh deliberately does not
install: the tests must run without it):

    sudo apt-get install --no-install-recommends python3-torch
    /usr/bin/python3 scripts/make_onnx_fixtures.py            # writes tests/tools/fixtures/onnx/

Use /usr/bin/python3 (Debian's), not a pyenv or venv python: only Debian's has the torch package.
Everything is seeded, so a rerun with the same torch (1.13.1+dfsg) writes the same numbers; the
.onnx bytes may differ across torch versions, which is harmless.
"""

import argparse
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PRESERVE = torch.onnx.TrainingMode.PRESERVE  # keeps BatchNormalization nodes (EVAL folds them)


def randomize_batchnorm(model):
    """Gives every BatchNorm non-trivial statistics so that folding it is really tested."""
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)


class ConvNet(nn.Module):
    """Image classifier: conv+BN+ReLU, depthwise (stride 2, non-SAME pads) +BN+ReLU6, max pool,
    1x1 conv + LeakyReLU, average pool with count_include_pad, flatten + Linear, softmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.dw = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.pw = nn.Conv2d(8, 16, 1)
        self.pool = nn.MaxPool2d(2)
        self.avg = nn.AvgPool2d(3, stride=1, padding=1)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu6(self.bn2(self.dw(x)))
        x = self.pool(x)
        x = F.leaky_relu(self.pw(x), 0.1)
        x = self.avg(x)
        x = torch.flatten(x, 1)
        return torch.softmax(self.fc(x), dim=1)


class Mlp(nn.Module):
    """Tabular MLP: Linear + BN1d + ReLU + Dropout, Linear + Tanh, Linear + Sigmoid."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 32)
        self.bn = nn.BatchNorm1d(32)
        self.drop = nn.Dropout(0.3)
        self.fc2 = nn.Linear(32, 16)
        self.fc3 = nn.Linear(16, 4)

    def forward(self, x):
        x = self.drop(F.relu(self.bn(self.fc1(x))))
        x = torch.tanh(self.fc2(x))
        return torch.sigmoid(self.fc3(x))


class Picker1d(nn.Module):
    """A small seismic phase picker (U-Net shaped, NCW): three-component waveform in, per-sample
    probabilities of noise / P / S out (softmax over channels)."""

    def __init__(self):
        super().__init__()
        self.enc1 = nn.Conv1d(3, 8, 7, padding=3)
        self.bn1 = nn.BatchNorm1d(8)
        self.pool = nn.MaxPool1d(2)
        self.enc2 = nn.Conv1d(8, 16, 5, padding=4, dilation=2)
        self.up = nn.ConvTranspose1d(16, 8, 2, stride=2)
        self.head = nn.Conv1d(16, 3, 1)

    def forward(self, x):
        skip = F.relu(self.bn1(self.enc1(x)))
        y = F.relu(self.enc2(self.pool(skip)))
        y = F.relu(self.up(y))
        y = torch.cat([y, skip], dim=1)
        return torch.softmax(self.head(y), dim=1)


class OpsMix(nn.Module):
    """The shape ops: explicit Pad, strided conv, HardSwish, Hard global pooling, a
    squeeze-excite gate (GlobalAveragePool, Gemm, Sigmoid, Mul), Sub/Add/Mul with broadcast
    constants, ReduceMean, Concat on the width axis, Transpose to NHWC, Reshape, Unsqueeze and
    Squeeze."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 8, 3, stride=2)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.se1 = nn.Linear(8, 4)
        self.se2 = nn.Linear(4, 8)
        self.offset = nn.Parameter(torch.randn(8, 1, 1) * 0.1)
        self.scale = nn.Parameter(torch.rand(1, 8, 1, 1) + 0.5)
        self.proj = nn.Linear(8, 6)

    def forward(self, x):
        x = F.pad(x, (1, 2, 0, 1))  # asymmetric: left 1, right 2, top 0, bottom 1
        x = F.hardswish(self.conv1(x))
        gate = torch.sigmoid(self.se2(F.relu(self.se1(F.adaptive_avg_pool2d(x, 1).flatten(1)))))
        x = x * gate.unsqueeze(-1).unsqueeze(-1)
        x = (self.conv2(x) - self.offset) * self.scale + x
        m = x.mean(dim=(2, 3), keepdim=True)
        x = torch.cat([x, x - m], dim=3)
        x = x.permute(0, 2, 3, 1)  # NHWC from here on: no transpose needed at the output
        x = self.proj(x)  # MatMul over the last (channel) axis of a 4-D tensor
        return torch.squeeze(x.reshape(1, -1, 6).unsqueeze(1), 1)


class Decoder2d(nn.Module):
    """ConvTranspose2d with SAME-compatible pads and with output_padding (cropped), Clip(-1, 1),
    global pooling and Gemm."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(6, 4, 4, stride=2, padding=1)
        self.up2 = nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1)
        self.head = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        x = torch.clamp(self.up1(x), -1.0, 1.0)
        x = F.relu(self.up2(x))
        return self.head(x)  # NCHW output: one TRANSPOSE at the output edge


class LegacyOps(nn.Module):
    """Opset 11 forms and the odd cases: BatchNorm on the input (nothing to fold into: MUL + ADD
    remain), a scalar Mul, x.view(x.size(0), -1) (Shape/Gather/Concat arithmetic), MaxPool with
    ceil_mode and with pads TFLite's SAME does not make (PADV2 with the lowest float), AvgPool
    with count_include_pad=False (SAME), Clip(-1, 1), Softmax over channels before opset 13
    (PyTorch wraps it in Transposes), Squeeze/Unsqueeze with axes attributes, two outputs."""

    def __init__(self):
        super().__init__()
        self.bn0 = nn.BatchNorm2d(3)
        self.conv = nn.Conv2d(3, 6, 3, padding=1)
        self.pool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.pool2 = nn.MaxPool2d(2, stride=1, padding=1)
        self.avg = nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
        self.fc = nn.Linear(6 * 6 * 6, 12)

    def forward(self, x):
        x = self.bn0(x) * 0.5
        x = F.leaky_relu(self.conv(x))
        x = self.avg(self.pool2(self.pool1(x)))
        probabilities = torch.softmax(torch.clamp(x, -1.0, 1.0), dim=1)
        head = self.fc(x.view(x.size(0), -1)).unsqueeze(-1).squeeze(-1)
        return probabilities, head


class HardSwishNet(nn.Module):
    """Before opset 14 PyTorch writes HardSwish as x * HardSigmoid(x); the importer makes it one
    HARD_SWISH again."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        x = F.hardswish(self.conv(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class Unsupported(nn.Module):
    """Uses ops mote does not import: Resize (twice) and Erf (GELU)."""

    def forward(self, x):
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        x = F.gelu(x)
        return F.interpolate(x, scale_factor=2.0, mode="nearest")


# name, model, input shape, opset, export arguments
FIXTURES = [
    ("conv_net", ConvNet, (1, 3, 16, 16), 13, dict(training=PRESERVE)),
    # Opset 11 Dropout has no training input: exported from a module left in train mode it is an
    # inference no-op in the graph, which the importer drops.
    ("mlp", Mlp, (2, 20), 11, dict(training=PRESERVE, dropout_in_graph=True)),
    ("picker1d", Picker1d, (1, 3, 64), 14, dict(training=PRESERVE)),
    ("ops_mix", OpsMix, (1, 4, 9, 9), 17, dict()),
    ("decoder2d", Decoder2d, (1, 6, 3, 3), 13, dict()),
    ("legacy_ops", LegacyOps, (1, 3, 11, 11), 11, dict(training=PRESERVE)),
    # Opset 9: relu6 as Relu then Clip with only a max (attributes, not inputs).
    ("conv_net_opset9", ConvNet, (1, 3, 16, 16), 9, dict(training=PRESERVE)),
    ("hardswish_opset12", HardSwishNet, (1, 3, 8, 8), 12, dict()),
]


def export(out_dir, name, model_class, shape, opset, extra):
    torch.manual_seed(len(name))
    model = model_class()
    randomize_batchnorm(model)
    model.eval()
    x = torch.randn(*shape)
    with torch.no_grad():
        y = model(x)
    outputs = list(y) if isinstance(y, tuple) else [y]
    path = os.path.join(out_dir, name + ".onnx")
    if extra.pop("dropout_in_graph", False):
        for m in model.modules():
            if isinstance(m, nn.Dropout):
                m.train()
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"],
                      output_names=[f"output{k}" for k in range(len(outputs))], **extra)
    np.save(os.path.join(out_dir, name + ".input0.npy"), x.numpy().astype(np.float32))
    for k, out in enumerate(outputs):
        np.save(os.path.join(out_dir, f"{name}.output{k}.npy"), out.numpy().astype(np.float32))
    print(f"{name}: opset {opset}, input {list(shape)}, outputs {[list(o.shape) for o in outputs]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    default_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "tools",
                               "fixtures", "onnx")
    parser.add_argument("--out", default=default_dir, help="folder for the fixtures")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")
    for name, model_class, shape, opset, extra in FIXTURES:
        export(args.out, name, model_class, shape, opset, dict(extra))
    # Refusal fixtures: no reference outputs, the importer must say what is wrong.
    torch.manual_seed(1)
    torch.onnx.export(Unsupported(), torch.randn(1, 2, 4, 4),
                      os.path.join(args.out, "unsupported_ops.onnx"), opset_version=13)
    torch.onnx.export(Mlp().eval(), torch.randn(2, 20), os.path.join(args.out, "dynamic_batch.onnx"),
                      opset_version=13, input_names=["input"],
                      dynamic_axes={"input": {0: "batch"}})
    print("unsupported_ops, dynamic_batch: refusal fixtures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
