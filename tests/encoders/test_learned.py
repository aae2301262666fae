import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import LogisticRegression

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from skmer.encoders import (  # noqa: E402
    ConvSequenceEncoder,
    RecurrentSequenceEncoder,
    SpectrogramCNNEncoder,
)
from skmer.utils.estimator_checks import parametrize_with_encoder_checks  # noqa: E402

_RNG = np.random.RandomState(0)
Y = np.array([0, 1] * 6)
SEQS = [_RNG.normal(loc=2 * c - 1, size=(_RNG.randint(3, 10), 2)) for c in Y]
WAVES = [_RNG.normal(size=_RNG.randint(1500, 2500)) * (1 + c) for c in Y]
FAST = dict(embedding_size=4, max_epochs=3, batch_size=4, random_state=0)


@parametrize_with_encoder_checks(
    [
        (RecurrentSequenceEncoder(hidden_size=6, **FAST), SEQS, Y),
        (
            RecurrentSequenceEncoder(
                cell="lstm", bidirectional=True, hidden_size=4, **FAST
            ),
            SEQS,
            Y * 2 + 1,
        ),
        (ConvSequenceEncoder(channels=(4, 4), kernel_size=3, **FAST), SEQS, Y),
        (SpectrogramCNNEncoder(sr=8000, n_mels=16, channels=(4,), **FAST), WAVES, Y),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


@pytest.mark.parametrize("cls", [RecurrentSequenceEncoder, ConvSequenceEncoder])
def test_embeddings_separate_the_trained_classes(cls):
    enc = cls(embedding_size=8, max_epochs=15, lr=1e-2, random_state=0).fit(SEQS, Y)
    Z = enc.transform(SEQS)
    assert LogisticRegression().fit(Z, Y).score(Z, Y) == 1.0
    assert enc.task_ == "classification" and list(enc.classes_) == [0, 1]
    assert enc.get_feature_names_out()[-1] == "emb7"


def test_regression_and_seeding():
    y = np.array([s.mean() for s in SEQS])
    a = ConvSequenceEncoder(**FAST).fit(SEQS, y)
    assert a.task_ == "regression"
    b = ConvSequenceEncoder(**FAST).fit(SEQS, y)
    c = ConvSequenceEncoder(**{**FAST, "random_state": 1}).fit(SEQS, y)
    assert_allclose(a.transform(SEQS), b.transform(SEQS))
    assert not np.allclose(a.transform(SEQS), c.transform(SEQS))
    y2 = np.c_[y, -y]
    assert (
        RecurrentSequenceEncoder(**FAST)
        .fit(SEQS, y2)
        .net_.module_.head.out.out_features
        == 2
    )


def test_padding_does_not_change_embeddings():
    import torch

    for cls in (RecurrentSequenceEncoder, ConvSequenceEncoder):
        enc = cls(**FAST).fit(SEQS, Y)
        padded = enc._pad([enc._standardise(s) for s in SEQS])
        with torch.no_grad():
            Z = enc.net_.module_.embed(
                torch.as_tensor(padded["x"]), torch.as_tensor(padded["lengths"])
            ).numpy()
        assert_allclose(Z, enc.transform(SEQS), rtol=1e-4, atol=1e-5)


def test_spectrogram_items_and_errors():
    specs = [_RNG.normal(size=(8, _RNG.randint(4, 9))) for _ in Y]
    enc = SpectrogramCNNEncoder(sr=None, channels=(3,), **FAST).fit(specs, Y)
    assert enc.input_size_ == 8 and enc.transform(specs + [None]).shape == (13, 4)
    with pytest.raises(ValueError, match="supervised encoder: fit needs y"):
        ConvSequenceEncoder(**FAST).fit(SEQS)
    with pytest.raises(ValueError, match="kernel_size must be odd"):
        ConvSequenceEncoder(kernel_size=4, **FAST).fit(SEQS, Y)
    with pytest.raises(
        ValueError, match="Item 0 has 3 features per step; the encoder was fitted on 2"
    ):
        RecurrentSequenceEncoder(**FAST).fit(SEQS, Y).transform([np.ones((4, 3))])


def test_importing_encoders_does_not_import_torch():
    code = (
        "import sys, skmer, skmer.encoders; "
        "print(any(m.split('.')[0] in ('torch', 'skorch') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_regression_target_with_nan_is_rejected():
    # regression: a NaN target trained a NaN net whose embeddings were all NaN
    y = np.array([s.mean() for s in SEQS])
    y[3] = np.nan
    with pytest.raises(
        ValueError, match=r"y contains NaN or infinity \(present item 3\)"
    ):
        ConvSequenceEncoder(task="regression", **FAST).fit(SEQS, y)


def test_single_class_target_is_rejected():
    # regression: one class trained a net with a constant zero loss, whose
    # embeddings were those of the random initialisation
    with pytest.raises(ValueError, match=r"at least 2 classes in y .*got only \[0\]"):
        ConvSequenceEncoder(**FAST).fit(SEQS, np.zeros(len(SEQS), dtype=int))


def test_prefixed_params_reach_the_net_and_pickle_is_portable():
    import pickle

    from sklearn.base import clone

    enc = ConvSequenceEncoder(**FAST)
    tuned = clone(enc).set_params(optimizer__weight_decay=0.5, module__dropout=0.3)
    assert tuned.get_params()["optimizer__weight_decay"] == 0.5
    a, b = enc.fit(SEQS, Y), tuned.fit(SEQS, Y)
    assert b.net_.optimizer_.param_groups[0]["weight_decay"] == 0.5
    assert b.net_.module_.head.dropout.p == 0.3
    assert not np.allclose(a.transform(SEQS), b.transform(SEQS))
    dumped = pickle.dumps(b)
    assert b"torch" not in dumped  # the net is stored as plain arrays
    assert_allclose(pickle.loads(dumped).transform(SEQS), b.transform(SEQS))
    sio = pytest.importorskip("skops.io")
    dumped = sio.dumps(b)
    assert sio.get_untrusted_types(data=dumped) == [
        "skmer.encoders._learned.ConvSequenceEncoder"
    ]
    loaded = sio.loads(dumped, trusted=sio.get_untrusted_types(data=dumped))
    assert_allclose(loaded.transform(SEQS), b.transform(SEQS))


def test_optimizer_class_and_callbacks():
    from skorch.callbacks import Callback

    class Count(Callback):
        epochs = 0

        def on_epoch_end(self, net, **kwargs):
            self.epochs += 1

    count = Count()
    enc = RecurrentSequenceEncoder(
        optimizer=torch.optim.SGD,
        callbacks=[count],
        optimizer_params={"momentum": 0.5},
        **FAST,
    )
    enc.fit(SEQS, Y)
    assert isinstance(enc.net_.optimizer_, torch.optim.SGD)
    assert enc.net_.optimizer_.param_groups[0]["momentum"] == 0.5
    assert count.epochs == FAST["max_epochs"]


def test_unusable_device_and_divergence_are_clear_errors():
    with pytest.raises(ValueError, match="device='nodevice' is not a torch device"):
        ConvSequenceEncoder(**{**FAST, "device": "nodevice"}).fit(SEQS, Y)
    enc = ConvSequenceEncoder(optimizer="sgd", **{**FAST, "lr": 1e12})
    with pytest.raises(ValueError, match="Training diverged"):
        enc.fit(SEQS, np.linspace(0, 1e6, len(SEQS)))
    assert not hasattr(enc, "net_")


@pytest.mark.parametrize("cls", [RecurrentSequenceEncoder, ConvSequenceEncoder])
def test_values_beyond_float32_name_the_item_instead_of_a_missing_row(cls):
    enc = cls(**FAST).fit(SEQS, Y)
    huge = np.full((5, 2), 1e300)
    with pytest.raises(ValueError, match=r"item 2 holds values up to 1e\+300"):
        enc.transform([SEQS[0], None, huge])
    with pytest.raises(ValueError, match=r"item 12 holds values up to 1e\+300"):
        cls(**FAST).fit(SEQS + [huge], np.r_[Y, 0])
    # a missing item is still an all-NaN row, a present one never is
    out = enc.transform([SEQS[0], None])
    assert np.isfinite(out[0]).all() and np.isnan(out[1]).all()


def test_overflowing_embedding_names_the_item():
    enc = ConvSequenceEncoder(**FAST).fit(SEQS, Y)
    with pytest.raises(ValueError, match=r"item 1 gives a non-finite embedding"):
        enc.transform([SEQS[0], np.full((5, 2), 3e38)])


def test_spectrogram_beyond_float32_names_the_item():
    specs = [_RNG.normal(size=(8, 6)) for _ in Y]
    enc = SpectrogramCNNEncoder(sr=None, channels=(3,), **FAST).fit(specs, Y)
    with pytest.raises(ValueError, match=r"item 1 holds values up to 1e\+300"):
        enc.transform([specs[0], np.full((8, 6), -1e300)])
