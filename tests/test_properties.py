"""Property-based tests: random layouts, missing patterns and label sets.

For every fusion estimator of :mod:`skmer.fusion` and every end-to-end model of
:mod:`skmer.sequence`, hypothesis draws the number of rows, modalities,
features per modality, classes and a missing pattern (each row keeps at least
one modality, each modality is present in some training rows). Whatever it
draws, fit and predict must not raise, predictions have one value per row and
no NaN, and class probabilities sum to one.

Neural estimators run 1-2 epochs of tiny nets; the whole module takes well
under two minutes on one core (``python -m pytest tests/test_properties.py
--durations=5``).
"""

import inspect
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, is_classifier

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import skmer.fusion  # noqa: E402
from tests._tiny_models import WORDS, tiny_bert  # noqa: E402

try:
    import skmer.sequence as sequence
except ImportError:  # the sequence models still live elsewhere
    sequence = None

_NEURAL = {
    "max_epochs": 2,
    "hidden_sizes": (4,),
    "head_hidden_sizes": (4,),
    "dropout": 0.0,
    "random_state": 0,
}
_RECURRENT = {"hidden_size": 4, "max_epochs": 1, "random_state": 0}
FAST = {
    "TensorFusionClassifier": _NEURAL,
    "TensorFusionRegressor": _NEURAL,
    "AttentionFusionClassifier": _NEURAL,
    "AttentionFusionRegressor": _NEURAL,
    "LateFusionClassifier": {"random_state": 0},
    "LateFusionRegressor": {"random_state": 0},
    "HybridFusionClassifier": {"random_state": 0},
    "HybridFusionRegressor": {"random_state": 0},
    "EarlyFusionClassifier": {"random_state": 0},
    "EarlyFusionRegressor": {"random_state": 0},
    "GraphFusionRegressor": {"random_state": 0},
    "ContextualLSTMClassifier": _RECURRENT,
    "ContextualLSTMRegressor": _RECURRENT,
    "MemoryFusionNetworkClassifier": _RECURRENT,
    "MemoryFusionNetworkRegressor": _RECURRENT,
    "MultiAttentionRecurrentNetworkClassifier": _RECURRENT,
    "MultiAttentionRecurrentNetworkRegressor": _RECURRENT,
    "MultiViewLSTMClassifier": _RECURRENT,
    "MultiViewLSTMRegressor": _RECURRENT,
    "TriModalHMMClassifier": {"n_states": 2, "n_iter": 2, "random_state": 0},
}
_TRANSFORMER = {"max_epochs": 1, "batch_size": 8, "dropout": 0.0, "random_state": 0}


def _public_estimators(module):
    if module is None:
        return []
    return [
        getattr(module, name)
        for name in module.__all__
        if inspect.isclass(getattr(module, name))
        and issubclass(getattr(module, name), BaseEstimator)
        and not name.startswith("Base")
    ]


FUSION = _public_estimators(skmer.fusion)
SEQUENCE = _public_estimators(sequence)
TEXT_MODELS = {
    "FineTunedTransformerClassifier",
    "FineTunedTransformerRegressor",
    "MultimodalAdaptationGateClassifier",
    "MultimodalAdaptationGateRegressor",
}
PROPERTY = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def problems(draw, max_modalities=4):
    """Sizes, layout, labels and a missing pattern (a seed draws the values)."""
    n_modalities = draw(st.integers(1, max_modalities))
    dims = draw(
        st.lists(st.integers(1, 3), min_size=n_modalities, max_size=n_modalities)
    )
    n_classes = draw(st.integers(2, 4))
    n_train = draw(st.integers(6 * n_classes, 40))
    n_test = draw(st.integers(1, 12))
    missing_rate = draw(st.sampled_from([0.0, 0.2, 0.5, 0.8]))
    seed = draw(st.integers(0, 2**31 - 1))
    return {
        "dims": dims,
        "n_classes": n_classes,
        "n_train": n_train,
        "n_test": n_test,
        "missing_rate": missing_rate,
        "seed": seed,
    }


def _presence(rng, n, n_modalities, rate, min_present):
    """Random presence mask: every row keeps one modality, every modality
    ``min_present`` rows."""
    present = rng.rand(n, n_modalities) >= rate
    empty = ~present.any(axis=1)
    present[empty, rng.randint(n_modalities, size=empty.sum())] = True
    for j in range(n_modalities):
        if present[:, j].sum() < min_present:
            present[rng.choice(n, min_present, replace=False), j] = True
    return present


def _labels(rng, n, n_classes, task):
    y = rng.permutation(np.resize(np.arange(n_classes), n))
    return y if task == "classifier" else y + 0.3 * rng.normal(size=n)


def _encoded(p, task):
    """Encoded blocks ``"m<k>__f<j>"``, all NaN where a modality is missing."""
    rng = np.random.RandomState(p["seed"])
    n = p["n_train"] + p["n_test"]
    y = _labels(rng, n, p["n_classes"], task)
    present = _presence(rng, n, len(p["dims"]), p["missing_rate"], 3)
    blocks, names = [], []
    for k, d in enumerate(p["dims"]):
        block = rng.normal(size=(n, d)) + np.round(y)[:, None] * 0.5
        block[~present[:, k]] = np.nan
        blocks.append(block)
        names += [f"m{k}__f{j}" for j in range(d)]
    X = pd.DataFrame(np.hstack(blocks), columns=names)
    return X, y


def _sequences(p, task, *, text=False, complete_per_class=0, vectors=False):
    """Raw ``(T, d)`` sequence cells (None where missing); optionally a text column.

    ``complete_per_class`` training rows of each class keep every modality (the
    tri-modal HMM needs them); ``vectors`` gives utterance vectors instead.
    """
    rng = np.random.RandomState(p["seed"])
    n = p["n_train"] + p["n_test"]
    y = _labels(rng, n, p["n_classes"], task)
    offset = int(text)
    present = _presence(rng, n, len(p["dims"]) + offset, p["missing_rate"], 3)
    for label in np.unique(np.round(y[: p["n_train"]])):
        present[
            np.flatnonzero(np.round(y[: p["n_train"]]) == label)[:complete_per_class]
        ] = True
    lengths = rng.randint(1, 6, size=n)
    data = {}
    if text:  # the text is always there
        data["text"] = [" ".join(rng.choice(WORDS, t)) for t in lengths]
    for k, d in enumerate(p["dims"]):
        data[f"m{k}"] = [
            rng.normal(size=d if vectors else (t, d)) + np.round(label) * 0.5
            if keep
            else None
            for t, label, keep in zip(lengths, y, present[:, k + offset])
        ]
    if vectors:  # utterances of a few videos, in a given order
        data["video"] = rng.randint(3, size=n)
        data["position"] = np.arange(n)
    return pd.DataFrame(data), y


def _check_outputs(est, X_test, n_test):
    pred = est.predict(X_test)
    assert len(pred) == n_test
    if is_classifier(est):
        assert set(np.unique(pred)) <= set(est.classes_)
        if hasattr(est, "predict_proba"):
            proba = est.predict_proba(X_test)
            assert proba.shape == (n_test, len(est.classes_))
            assert not np.isnan(proba).any()
            np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    else:
        assert not np.isnan(np.asarray(pred, dtype=float)).any()


def _fit_and_check(est, X, y, n_train):
    X_train, X_test = X.iloc[:n_train], X.iloc[n_train:]
    y_train = y[:n_train]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one-modality and convergence warnings
        est.fit(X_train, y_train)
        _check_outputs(est, X_test.reset_index(drop=True), len(X_test))


def _task(cls):
    return "classifier" if issubclass(cls, ClassifierMixin) else "regressor"


@pytest.mark.parametrize("cls", FUSION, ids=lambda c: c.__name__)
@PROPERTY
@given(p=problems())
def test_fusion_estimators_on_random_missing_patterns(cls, p):
    X, y = _encoded(p, _task(cls))
    _fit_and_check(cls(**FAST.get(cls.__name__, {})), X, y, p["n_train"])


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    pytest.importorskip("transformers")
    return tiny_bert(tmp_path_factory.mktemp("tiny_bert"))


@pytest.mark.skipif(sequence is None, reason="skmer.sequence is not available")
@pytest.mark.parametrize("cls", SEQUENCE, ids=lambda c: c.__name__)
@PROPERTY
@given(p=problems(max_modalities=3))
def test_sequence_models_on_random_missing_patterns(cls, p, request):
    if cls.__name__ in TEXT_MODELS:
        model_dir = request.getfixturevalue("model_dir")
        X, y = _sequences(p, _task(cls), text=True)
        if cls.__name__.startswith("FineTuned"):
            X = X[["text"]]
        est = cls(model_dir, **_TRANSFORMER)
    elif cls.__name__.startswith("Contextual"):
        X, y = _sequences(p, _task(cls), vectors=True)
        columns = [c for c in X.columns if c.startswith("m")]
        est = cls(
            columns=columns,
            group_column="video",
            order_column="position",
            **FAST[cls.__name__],
        )
    else:
        complete = 2 if cls.__name__ == "TriModalHMMClassifier" else 0
        X, y = _sequences(p, _task(cls), complete_per_class=complete)
        est = cls(**FAST.get(cls.__name__, {}))
    _fit_and_check(est, X, y, p["n_train"])
