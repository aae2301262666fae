"""Tests of TensorFusionClassifier / TensorFusionRegressor (TFN and LMF)."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import (
    AttentionFusionRegressor,
    LateFusionClassifier,
    TensorFusionClassifier,
    TensorFusionRegressor,
)

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

FAST = {"max_epochs": 10, "lr": 0.01, "hidden_sizes": (8,), "head_hidden_sizes": (16,)}


@pytest.fixture(scope="module")
def data():
    return make_multimodal_classification(
        n_samples=240, missing_rate=0.2, random_state=0
    )


def test_tfn_and_lmf_learn_a_multiplicative_interaction_late_fusion_cannot():
    X, y = make_multimodal_classification(
        n_samples=800,
        interaction=True,
        modalities={"text": 4, "audio": 4, "video": 4},
        random_state=0,
    )
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.5, random_state=0, stratify=y
    )
    late = LateFusionClassifier().fit(Xtr, ytr).score(Xte, yte)
    params = {**FAST, "max_epochs": 40, "random_state": 0}
    tfn = TensorFusionClassifier(**params).fit(Xtr, ytr).score(Xte, yte)
    lmf = TensorFusionClassifier(rank=4, **params).fit(Xtr, ytr).score(Xte, yte)
    assert late <= 0.65
    assert tfn >= 0.85 and lmf >= 0.85
    assert min(tfn, lmf) - late >= 0.2


def test_lmf_parameter_count_follows_formula_and_is_far_below_tfn():
    d, out, rank = 64, 64, 4
    X, y = make_multimodal_classification(
        n_samples=40, modalities={"text": 70, "audio": 70, "video": 70}, random_state=0
    )
    common = {
        "hidden_sizes": (d,),
        "head_hidden_sizes": (32,),
        "max_epochs": 1,
        "random_state": 0,
    }
    lmf = TensorFusionClassifier(rank=rank, fusion_size=out, **common).fit(X, y)
    fusion = lmf.net_.module_.fusion
    n_fusion = sum(p.numel() for p in fusion.parameters())
    assert n_fusion == rank * out * 3 * (d + 1) + rank + out
    tfn = TensorFusionClassifier(**common).fit(X, y)
    assert tfn.net_.module_.fusion.out_features == (d + 1) ** 3
    # the head's first layer alone holds (d + 1)^3 * 32 weights
    assert tfn.n_parameters_ > (d + 1) ** 3 * 32
    assert lmf.n_parameters_ * 50 < tfn.n_parameters_


@pytest.mark.parametrize("rank", [None, 3])
def test_missing_modalities_train_and_predict(data, rank):
    X, y = data
    clf = TensorFusionClassifier(
        rank=rank, modality_dropout=0.3, random_state=0, **FAST
    )
    clf.fit(X, y)
    X_miss = X.copy()
    X_miss.loc[:, [c for c in X.columns if c.startswith("text__")]] = np.nan
    proba = clf.predict_proba(X_miss)
    assert proba.shape == (len(X), 2) and np.isfinite(proba).all()
    assert clf.score(X, y) > 0.75
    assert set(clf.modality_weights_) == {"text", "audio", "video"}
    assert np.isclose(sum(clf.modality_weights_.values()), 1)


def test_absent_block_equals_zero_embedding_with_constant_kept(data):
    """An absent modality contributes only through the kept constant 1."""
    X, y = data
    clf = TensorFusionClassifier(random_state=0, **FAST).fit(X, y)
    module = clf.net_.module_.eval()
    Xv, _, present = clf._validate_fusion_data(X, reset=False)
    inputs = {k: torch.as_tensor(v) for k, v in clf._inputs(Xv, present).items()}
    inputs["mask"] = torch.ones_like(inputs["mask"])
    inputs["mask"][:, 1] = 0
    with torch.no_grad():
        _, fused = module(**inputs)[:2]
    d = 9  # 8 hidden units + the constant
    fused = fused.reshape(len(X), d, d, d)
    # every term that multiplies an audio coordinate vanishes; the constant stays
    assert torch.all(fused[:, :, 1:, :] == 0)
    assert torch.any(fused[:, :, 0, :] != 0)


def test_modality_weights_favour_the_informative_modality():
    X, y = make_multimodal_classification(
        n_samples=300,
        informativeness={"text": 0.0, "audio": 0.0, "video": 3.0},
        random_state=0,
    )
    clf = TensorFusionClassifier(rank=4, random_state=0, **FAST).fit(X, y)
    w = clf.modality_weights_
    assert max(w, key=w.get) == "video"


def test_same_seed_same_predictions_different_seed_differs(data):
    X, y = data
    a = TensorFusionClassifier(rank=2, random_state=3, **FAST).fit(X, y)
    b = TensorFusionClassifier(rank=2, random_state=3, **FAST).fit(X, y)
    c = TensorFusionClassifier(rank=2, random_state=4, **FAST).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert not np.allclose(a.predict_proba(X), c.predict_proba(X))


def test_pickle_and_skorch_state_dict_round_trips(data, tmp_path):
    X, y = data
    clf = TensorFusionClassifier(rank=2, random_state=0, **FAST).fit(X, y)
    expected = clf.predict_proba(X)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(X), expected)
    # skorch's state-dict files, read with torch.load's weights_only=True default
    path = tmp_path / "params.pt"
    clf.net_.save_params(f_params=path)
    other = clone(clf).set_params(random_state=1).fit(X, y)
    assert not np.allclose(other.predict_proba(X), expected)
    other.net_.load_params(f_params=path)
    np.testing.assert_array_equal(other.predict_proba(X), expected)


def test_grid_search_over_rank_and_lr(data):
    X, y = data
    est = TensorFusionClassifier(random_state=0, **{**FAST, "max_epochs": 5})
    grid_params = {"rank": [None, 2], "lr": [1e-2, 1e-3]}
    grid = GridSearchCV(est, grid_params, cv=2).fit(X, y)
    # every candidate's score is that of the estimator with those parameters
    for params, score in zip(
        grid.cv_results_["params"], grid.cv_results_["mean_test_score"]
    ):
        expected = cross_val_score(clone(est).set_params(**params), X, y, cv=2).mean()
        assert score == pytest.approx(expected)
    # the parameters reach the net: rank changes the scores at some lr, and the
    # refitted best estimator holds the fusion layer its rank asks for
    scores = {
        (p["rank"], p["lr"]): s
        for p, s in zip(grid.cv_results_["params"], grid.cv_results_["mean_test_score"])
    }
    assert any(scores[None, lr] != scores[2, lr] for lr in grid_params["lr"])
    fusion = type(grid.best_estimator_.net_.module_.fusion).__name__
    assert fusion == (
        "TensorFusion" if grid.best_params_["rank"] is None else "LowRankFusion"
    )


def _weights(clf):
    return np.concatenate(
        [p.detach().numpy().ravel() for p in clf.net_.module_.parameters()]
    )


def test_prefixed_optimizer_params_change_training(data):
    X, y = data
    base = TensorFusionClassifier(rank=2, random_state=0, **FAST)
    tuned = clone(base).set_params(optimizer__weight_decay=1e-1)
    assert tuned.optimizer_params == {"weight_decay": 1e-1}
    assert tuned.get_params()["optimizer__weight_decay"] == 1e-1
    assert "optimizer__weight_decay" not in tuned.get_params(deep=False)
    assert clone(tuned).optimizer_params == {"weight_decay": 1e-1}
    a, b = base.fit(X, y), tuned.fit(X, y)
    assert b.net_.optimizer_.param_groups[0]["weight_decay"] == 1e-1
    assert not np.allclose(_weights(a), _weights(b))
    # weight decay shrinks the weights
    assert np.linalg.norm(_weights(b)) < np.linalg.norm(_weights(a))


def test_grid_search_reaches_module_and_optimizer_params(data):
    X, y = data
    grid = GridSearchCV(
        TensorFusionClassifier(rank=2, random_state=0, **FAST),
        {
            "optimizer__weight_decay": [0.0, 0.5],
            "module__head_hidden_sizes": [(), (4,)],
        },
        cv=2,
    ).fit(X, y)
    assert len(np.unique(grid.cv_results_["mean_test_score"])) > 1
    best = grid.best_estimator_
    assert (
        best.optimizer_params["weight_decay"]
        == grid.best_params_["optimizer__weight_decay"]
    )
    hidden = grid.best_params_["module__head_hidden_sizes"]
    n_linear = sum(
        isinstance(m, torch.nn.Linear) for m in best.net_.module_.head.modules()
    )
    assert n_linear == len(hidden) + 1


def test_unknown_module_param_is_a_clear_error(data):
    X, y = data
    clf = TensorFusionClassifier(rank=2, **FAST).set_params(module__widht=3)
    with pytest.raises(ValueError, match="module_params.*widht"):
        clf.fit(X, y)


def test_optimizer_and_criterion_classes(data):
    X, y = data
    sgd = TensorFusionClassifier(
        rank=2, optimizer=torch.optim.SGD, random_state=0, **FAST
    )
    plain = sgd.fit(X, y)
    assert isinstance(plain.net_.optimizer_, torch.optim.SGD)
    assert plain.net_.optimizer_.param_groups[0]["momentum"] == 0  # not hard-coded
    momentum = clone(sgd).set_params(optimizer__momentum=0.9).fit(X, y)
    assert momentum.net_.optimizer_.param_groups[0]["momentum"] == 0.9
    assert not np.allclose(_weights(plain), _weights(momentum))
    # a torch criterion is called on the main output (the logits)
    ce = TensorFusionClassifier(
        rank=2,
        criterion=torch.nn.CrossEntropyLoss,
        criterion_params={"label_smoothing": 0.1},
        random_state=0,
        **FAST,
    ).fit(X, y)
    assert isinstance(ce.net_.criterion_, torch.nn.CrossEntropyLoss)
    assert ce.net_.criterion_.label_smoothing == 0.1
    assert ce.score(X, y) > 0.75


def test_callbacks_are_called(data):
    from skorch.callbacks import Callback

    class Recorder(Callback):
        def initialize(self):
            self.epochs, self.batches, self.grads = 0, 0, 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.epochs += 1

        def on_batch_end(self, net, batch=None, training=False, **kwargs):
            self.batches += training

        def on_grad_computed(self, net, named_parameters, **kwargs):
            self.grads += 1

    X, y = data
    recorder = Recorder()
    clf = TensorFusionClassifier(
        rank=2, callbacks=[recorder], batch_size=50, **{**FAST, "max_epochs": 3}
    ).fit(X, y)
    batches_per_epoch = -(-len(y) // 50)
    assert recorder.epochs == 3
    assert recorder.batches == recorder.grads == 3 * batches_per_epoch
    assert len(clf.net_.history) == 3


def test_sample_weight_weights_the_loss():
    X, y = make_multimodal_classification(n_samples=400, class_sep=0.6, random_state=0)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.5, random_state=0)
    params = {**FAST, "rank": 2, "max_epochs": 15, "random_state": 0}
    # uniform weights are the unweighted loss
    plain = TensorFusionClassifier(**params).fit(Xtr, ytr)
    uniform = TensorFusionClassifier(**params).fit(
        Xtr, ytr, sample_weight=np.full(200, 3.0)
    )
    np.testing.assert_allclose(
        plain.predict_proba(Xte), uniform.predict_proba(Xte), rtol=1e-5, atol=1e-6
    )
    # zero weight on the rows whose label was flipped: as if they were clean
    corrupt = np.random.RandomState(0).rand(200) < 0.45
    noisy = np.where(corrupt, 1 - ytr, ytr)
    unweighted = TensorFusionClassifier(**params).fit(Xtr, noisy).score(Xte, yte)
    weighted = (
        TensorFusionClassifier(**params)
        .fit(Xtr, noisy, sample_weight=(~corrupt).astype(float))
        .score(Xte, yte)
    )
    assert weighted > unweighted + 0.1
    with pytest.raises(ValueError, match="sample_weight"):
        TensorFusionClassifier(**params).fit(Xtr, ytr, sample_weight=-np.ones(200))


class _SplitRecorder:
    """A skorch callback keeping the rows of each early-stopping part."""

    def __new__(cls):
        from skorch.callbacks import Callback

        class Recorder(Callback):
            def on_train_begin(self, net, X=None, **kwargs):
                self.train_rows = X.index

            def on_epoch_begin(self, net, dataset_valid=None, **kwargs):
                self.valid_rows = dataset_valid.index

        return Recorder()


def _early_stopping_clf():
    return TensorFusionClassifier(
        rank=2,
        early_stopping=True,
        validation_fraction=0.25,
        callbacks=[_SplitRecorder()],
        random_state=0,
        **FAST,
    )


def test_groups_make_the_early_stopping_split_speaker_independent(data):
    X, y = data
    speakers = np.arange(len(y)) % 12
    clf = _early_stopping_clf()
    clf.fit(X, y, groups=speakers)
    rec = clf.callbacks[0]
    train, valid = set(speakers[rec.train_rows]), set(speakers[rec.valid_rows])
    assert train and valid and not train & valid
    assert len(rec.train_rows) + len(rec.valid_rows) == len(y)
    # without groups the split mixes speakers (stratified by class)
    clf.fit(X, y)
    assert set(speakers[rec.train_rows]) & set(speakers[rec.valid_rows])
    with pytest.raises(ValueError, match="validation_fraction"):
        clf.fit(X, y, groups=np.zeros(len(y)))


@pytest.mark.parametrize("routing", [False, True])
def test_sample_weight_and_groups_with_metadata_routing(data, routing):
    import sklearn
    from sklearn.model_selection import GroupKFold, cross_validate

    X, y = data
    speakers = np.arange(len(y)) % 12
    weights = np.where(np.arange(len(y)) % 2, 1.0, 2.0)
    clf = _early_stopping_clf()
    with sklearn.config_context(enable_metadata_routing=routing):
        if routing:
            clf.set_fit_request(sample_weight=True, groups=True)
            clf.set_score_request(sample_weight=False)
        # routing off: ``params`` all go to fit (groups too) and ``groups`` to cv
        res = cross_validate(
            clf,
            X,
            y,
            groups=None if routing else speakers,
            cv=GroupKFold(2),
            return_estimator=True,
            params={"sample_weight": weights, "groups": speakers},
        )
    for est, train in zip(
        res["estimator"], [t for t, _ in GroupKFold(2).split(X, y, speakers)]
    ):
        rec = est.callbacks[0]
        fold = speakers[train]
        assert not set(fold[rec.train_rows]) & set(fold[rec.valid_rows])
        reference = clone(clf).fit(
            X.iloc[train], y[train], sample_weight=weights[train], groups=fold
        )
        np.testing.assert_allclose(est.predict_proba(X), reference.predict_proba(X))


def test_groups_without_a_request_fail_under_routing(data):
    import sklearn
    from sklearn.exceptions import UnsetMetadataPassedError
    from sklearn.model_selection import cross_validate

    X, y = data
    with (
        sklearn.config_context(enable_metadata_routing=True),
        pytest.raises(UnsetMetadataPassedError),
    ):
        cross_validate(
            TensorFusionClassifier(rank=2, **FAST),
            X,
            y,
            cv=2,
            params={"groups": np.arange(len(y)) % 12},
        )


def test_pipeline_with_dataframe(data):
    X, y = data
    pipe = make_pipeline(
        FunctionTransformer(feature_names_out="one-to-one").set_output(
            transform="pandas"
        ),
        TensorFusionClassifier(rank=2, random_state=0, **FAST),
    ).fit(X, y)
    assert list(pipe[-1].modalities_) == ["text", "audio", "video"]


def test_warm_start_continues_training(data):
    X, y = data
    clf = TensorFusionClassifier(
        rank=2, warm_start=True, random_state=0, **{**FAST, "max_epochs": 3}
    ).fit(X, y)
    first = clf.net_
    clf.fit(X, y)
    assert clf.net_ is first and clf.n_epochs_ == 6
    with pytest.raises(ValueError, match="warm_start"):
        clf.fit(X.iloc[:, :-1], y)


def test_refused_warm_start_leaves_the_previous_fit_intact(data):
    X, y = data
    labels = np.array(["neg", "pos"])[y]
    clf = TensorFusionClassifier(
        rank=2, warm_start=True, random_state=0, **{**FAST, "max_epochs": 1}
    ).fit(X, labels)
    before = clf.predict(X)
    with pytest.raises(ValueError, match="warm_start"):
        clf.fit(X, np.array(["a", "b"])[y])
    # classes_ used to be overwritten by the refused fit, relabelling predictions
    np.testing.assert_array_equal(clf.classes_, ["neg", "pos"])
    np.testing.assert_array_equal(clf.predict(X), before)
    reg = TensorFusionRegressor(
        rank=2, warm_start=True, random_state=0, **{**FAST, "max_epochs": 1}
    ).fit(X, np.c_[y, -y])
    with pytest.raises(ValueError, match="warm_start"):
        reg.fit(X, y.astype(float))
    assert reg.predict(X[:3]).shape == (3, 2)


def test_early_stopping_stops_before_max_epochs(data):
    X, y = data
    clf = TensorFusionClassifier(
        rank=2,
        early_stopping=True,
        patience=2,
        random_state=0,
        **{**FAST, "max_epochs": 200},
    )
    clf.fit(X, y)
    assert clf.n_epochs_ < 200


def test_class_weight_balanced_raises_minority_recall():
    X, y = make_multimodal_classification(
        n_samples=300, weights=[0.9, 0.1], class_sep=0.2, random_state=0
    )
    params = {**FAST, "random_state": 0}
    plain = TensorFusionClassifier(rank=2, **params).fit(X, y)
    balanced = TensorFusionClassifier(rank=2, class_weight="balanced", **params).fit(
        X, y
    )
    recall = lambda clf: np.mean(clf.predict(X)[y == 1] == 1)  # noqa: E731
    assert recall(balanced) > recall(plain)


@pytest.mark.parametrize(
    "params",
    [
        {"loss": "polarity"},
        {"metric_loss": "triplet"},
        {"metric_loss": "npair"},
        {"loss": "kl"},
    ],
)
def test_losses_train(params):
    X, y = make_multimodal_classification(n_samples=240, n_classes=3, random_state=0)
    y = y - 1  # classes -1, 0, 1: negative, neutral, positive
    clf = TensorFusionClassifier(rank=2, random_state=0, **FAST, **params).fit(X, y)
    assert clf.score(X, y) > 0.5  # 3 classes: chance is 1/3


def test_kl_loss_fits_label_distributions():
    X, y = make_multimodal_classification(n_samples=200, random_state=0)
    dist = np.where(y[:, None] == np.arange(2), 0.8, 0.2)
    clf = TensorFusionClassifier(
        rank=2, loss="kl", random_state=0, **{**FAST, "max_epochs": 40}
    )
    clf.fit(X, y, label_distribution=dist)
    proba = clf.predict_proba(X)
    # soft targets: the net is calibrated towards 0.8, not pushed to 1
    assert 0.6 < proba.max(axis=1).mean() < 0.95
    with pytest.raises(ValueError, match="label_distribution must have shape"):
        clf.fit(X, y, label_distribution=dist[:, :1])
    with pytest.raises(ValueError, match="loss='kl' only"):
        clf.set_params(loss="cross_entropy").fit(X, y, label_distribution=dist)


def test_errors_name_the_parameter(data):
    X, y = data
    with pytest.raises(ValueError, match="hidden_sizes"):
        TensorFusionClassifier(hidden_sizes=(0,), max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="class_polarity"):
        TensorFusionClassifier(loss="polarity", max_epochs=1).fit(
            X, np.where(y == 1, "joy", "anger")
        )
    with pytest.raises(ValueError, match="class_polarity gives no polarity"):
        TensorFusionClassifier(
            loss="polarity", class_polarity={"joy": 1}, max_epochs=1
        ).fit(X, np.where(y == 1, "joy", "anger"))
    X_bad = X.copy()
    X_bad.iloc[0, 0] = np.nan
    X_bad.iloc[0, 1] = 1.0
    X_bad.iloc[1, 0] = np.nan
    with pytest.raises(ValueError, match="Modality 'text'"):
        TensorFusionClassifier(max_epochs=1).fit(X_bad, y)
    with pytest.raises(ValueError, match="at least 2 classes"):
        TensorFusionClassifier(max_epochs=1).fit(X, np.zeros(len(y)))


def test_regressor_multi_output_and_polarity_loss():
    X, y = make_multimodal_regression(n_samples=240, n_targets=3, random_state=0)
    reg = TensorFusionRegressor(rank=4, random_state=0, **{**FAST, "max_epochs": 30})
    reg.fit(X, y)
    assert reg.predict(X).shape == (240, 3) and reg.score(X, y) > 0.5
    X1, y1 = make_multimodal_regression(n_samples=240, random_state=0)
    pol = TensorFusionRegressor(
        rank=4,
        loss="polarity",
        polarity_weight=2.0,
        metric_loss="triplet",
        random_state=0,
        **{**FAST, "max_epochs": 30},
    ).fit(X1, y1)
    assert pol.predict(X1).shape == (240,)
    assert np.mean(np.sign(pol.predict(X1)) == np.sign(y1)) > 0.8


def test_four_fusion_families_swap_in_one_grid_search(data):
    """Kernel, graph, tensor and late fusion are interchangeable pipeline steps."""
    from sklearn.pipeline import Pipeline

    from skmer.fusion import GraphFusionClassifier, MultipleKernelClassifier

    X, y = data
    candidates = [
        LateFusionClassifier(),
        MultipleKernelClassifier(),
        GraphFusionClassifier(),
        TensorFusionClassifier(rank=2, random_state=0, **FAST),
    ]
    grid = GridSearchCV(Pipeline([("fuse", candidates[0])]), {"fuse": candidates}, cv=2)
    grid.fit(X, y)
    assert grid.cv_results_["mean_test_score"].shape == (4,)
    assert np.all(grid.cv_results_["mean_test_score"] > 0.6)


def test_warm_start_applies_new_training_params_and_refuses_other_changes(data):
    X, y = data
    clf = TensorFusionClassifier(
        rank=2, warm_start=True, random_state=0, **{**FAST, "max_epochs": 2}
    ).fit(X, y)
    # max_epochs, lr and batch_size set between warm fits used to be ignored
    clf.set_params(max_epochs=3, lr=0.05, batch_size=16).fit(X, y)
    assert clf.n_epochs_ == 5
    assert clf.net_.optimizer_.param_groups[0]["lr"] == 0.05
    assert clf.net_.batch_size == 16
    # a list equal to the tuple is no change
    clf.set_params(hidden_sizes=list(FAST["hidden_sizes"]), max_epochs=1).fit(X, y)
    with pytest.raises(
        ValueError, match=r"warm_start.*\['early_stopping', 'patience'\]"
    ):
        clf.set_params(early_stopping=True, patience=1).fit(X, y)
    assert clf.n_epochs_ == 6


def test_early_stopping_on_too_few_rows_names_validation_fraction(data):
    X, y = data
    clf = TensorFusionClassifier(
        rank=2, early_stopping=True, random_state=0, **{**FAST, "max_epochs": 2}
    )
    # 10 % of 8 rows is one validation row, fewer than the 2 classes
    with pytest.raises(ValueError, match="validation_fraction=0.1 of the 8 training"):
        clf.fit(X.iloc[:8], y[:8])
    assert not hasattr(clf, "net_")
    reg = TensorFusionRegressor(
        rank=2, early_stopping=True, **{**FAST, "max_epochs": 2}
    )
    with pytest.raises(ValueError, match="early_stopping=True.*empty"):
        reg.fit(X.iloc[:1], [1.0])
    assert clf.set_params(validation_fraction=0.5).fit(X.iloc[:8], y[:8]).n_epochs_ <= 2


@pytest.mark.parametrize("device", ["gpu", "CPU", "cuda:0"])
def test_unusable_device_names_the_parameter(data, device):
    if device.startswith("cuda") and torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    X, y = data
    with pytest.raises(ValueError, match=f"device='{device}'"):
        TensorFusionClassifier(device=device, **{**FAST, "max_epochs": 1}).fit(X, y)


def test_diverged_training_raises_instead_of_predicting_nan(data):
    X, y = data
    # the weights overflow to NaN; predict_proba used to return NaN silently
    # and predict the first class for every row
    clf = TensorFusionClassifier(rank=2, **{**FAST, "max_epochs": 2, "lr": 1e8})
    with pytest.raises(ValueError, match=r"diverged.*Lower lr \(now 100000000.0\)"):
        clf.fit(X, y)
    assert not hasattr(clf, "net_")
    reg = TensorFusionRegressor(optimizer="sgd", **{**FAST, "max_epochs": 2, "lr": 1e8})
    with pytest.raises(ValueError, match="diverged"):
        reg.fit(X, y.astype(float))


def test_failed_refit_does_not_keep_the_previous_net(data):
    X, y = data
    clf = TensorFusionClassifier(rank=2, **{**FAST, "max_epochs": 1}).fit(X, y)
    labels = np.array(["a", "b", "c"])[np.arange(8) % 3]
    with pytest.raises(ValueError, match="validation_fraction"):
        clf.set_params(early_stopping=True).fit(X.iloc[:8], labels)
    # the old two-class net used to stay, predicting with the new three classes_
    with pytest.raises(NotFittedError):
        clf.predict(X)


def _trusted_only_plain_types(sio, dumped):
    """The types skops asks to trust: skmer's, numpy's, sklearn's or builtins."""
    untrusted = sio.get_untrusted_types(data=dumped)
    assert untrusted and all(
        t.split(".")[0] in {"skmer", "numpy", "sklearn", "builtins"} for t in untrusted
    ), untrusted
    return untrusted


@pytest.mark.parametrize(
    "est, method",
    [
        (TensorFusionClassifier(rank=2, early_stopping=True, **FAST), "predict_proba"),
        (AttentionFusionRegressor(**FAST), "predict"),
    ],
    ids=["TensorFusionClassifier", "AttentionFusionRegressor"],
)
def test_skops_and_pickle_round_trips_give_identical_predictions(data, est, method):
    sio = pytest.importorskip("skops.io")
    X, y = data
    y = y if method == "predict_proba" else np.c_[y, -y].astype(float)
    est = clone(est).set_params(max_epochs=3, random_state=0).fit(X, y)
    expected = getattr(est, method)(X)
    dumped = sio.dumps(est)
    untrusted = _trusted_only_plain_types(sio, dumped)
    assert type(est).__module__ + "." + type(est).__name__ in untrusted
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.loads(dumped)
    pickled = pickle.dumps(est)
    # the net is stored as plain arrays, not as torch or skorch objects
    assert b"torch" not in pickled and b"skorch" not in pickled
    for loaded in (sio.loads(dumped, trusted=untrusted), pickle.loads(pickled)):
        np.testing.assert_array_equal(getattr(loaded, method)(X), expected)
        assert loaded.n_epochs_ == est.n_epochs_ == len(loaded.net_.history)
        assert loaded.modality_weights_ == est.modality_weights_
        # Adam's moments come back (a warm start continues from them)
        before, after = (
            est.net_.optimizer_.state_dict(),
            loaded.net_.optimizer_.state_dict(),
        )
        assert before["param_groups"] == after["param_groups"]
        for key, state in before["state"].items():
            for name, value in state.items():
                torch.testing.assert_close(
                    after["state"][key][name], value, rtol=0, atol=0
                )
    # the estimator itself keeps its net (saving does not alter it)
    assert est.net_.module_ is not None and np.array_equal(
        getattr(est, method)(X), expected
    )


def test_warm_start_after_a_round_trip_continues_like_without_it(data):
    sio = pytest.importorskip("skops.io")
    X, y = data
    clf = TensorFusionClassifier(
        rank=2,
        warm_start=True,
        early_stopping=True,
        patience=50,
        random_state=0,
        **{**FAST, "max_epochs": 2},
    ).fit(X, y)
    dumped = sio.dumps(clf)
    from_skops = sio.loads(dumped, trusted=sio.get_untrusted_types(data=dumped))
    from_pickle = pickle.loads(pickle.dumps(clf))
    clf.fit(X, y)
    for loaded in (from_skops, from_pickle):
        loaded.fit(X, y)
        assert loaded.n_epochs_ == clf.n_epochs_ == 4
        np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
        for key in ("train_loss", "valid_loss", "valid_loss_best"):
            assert loaded.net_.history[:, key] == clf.net_.history[:, key]
    # a fresh net (no Adam moments, no history) continues differently
    fresh = clone(clf).set_params(max_epochs=2, warm_start=False).fit(X, y)
    fresh.set_params(warm_start=True).net_.initialize_optimizer()
    fresh.fit(X, y)
    assert not np.array_equal(fresh.predict_proba(X), clf.predict_proba(X))


def test_unfitted_and_failed_estimators_still_pickle(data):
    sio = pytest.importorskip("skops.io")
    X, y = data
    unfitted = TensorFusionClassifier(rank=2, **FAST)
    for est in (unfitted, clone(unfitted)):
        again = pickle.loads(pickle.dumps(est))
        assert again.get_params() == est.get_params() and not hasattr(again, "net_")
        dumped = sio.dumps(est)
        assert sio.loads(
            dumped, trusted=sio.get_untrusted_types(data=dumped)
        ).get_params() == (est.get_params())
    failed = TensorFusionClassifier(rank=2, **{**FAST, "max_epochs": 2, "lr": 1e8})
    with pytest.raises(ValueError, match="diverged"):
        failed.fit(X, y)
    again = pickle.loads(pickle.dumps(failed))
    assert hasattr(again, "classes_") and not hasattr(again, "net_")
    with pytest.raises(NotFittedError):
        again.predict(X)
    fitted = clone(unfitted).set_params(max_epochs=1).fit(X, y)
    assert clone(pickle.loads(pickle.dumps(fitted))).get_params() == fitted.get_params()


@pytest.mark.parametrize("Est", [TensorFusionClassifier, TensorFusionRegressor])
def test_too_large_full_tensor_is_a_clear_error_suggesting_rank(Est):
    make = (
        make_multimodal_regression
        if Est is TensorFusionRegressor
        else make_multimodal_classification
    )
    X, y = make(
        n_samples=30, modalities={f"m{k}": 1 for k in range(20)}, random_state=0
    )
    with pytest.raises(ValueError, match=r"20 modalities.*rank=4"):
        Est(max_epochs=1, hidden_sizes=(4,)).fit(X, y)
    # the low-rank fusion of the same modalities trains
    assert (
        Est(rank=4, max_epochs=1, hidden_sizes=(4,)).fit(X, y).predict(X).shape[0] == 30
    )


@pytest.mark.parametrize("Est", [TensorFusionClassifier, TensorFusionRegressor])
def test_remainder_error_drop_and_passthrough(Est):
    make = (
        make_multimodal_regression
        if Est is TensorFusionRegressor
        else make_multimodal_classification
    )
    X, y = make(n_samples=80, missing_rate=0.2, random_state=0)
    layout = {
        m: [c for c in X.columns if c.startswith(f"{m}__")] for m in ("text", "audio")
    }
    video = [c for c in X.columns if c.startswith("video__")]
    params = {"modalities": layout, "random_state": 0, **FAST, "max_epochs": 2}
    with pytest.raises(ValueError, match=rf"leaves {len(video)} of the .*'video__0'"):
        Est(**params).fit(X, y)
    dropped = Est(remainder="drop", **params).fit(X, y)
    assert list(dropped.input_dims_) == ["text", "audio"]
    garbage = X.assign(**{c: 1e3 for c in video})
    np.testing.assert_array_equal(dropped.predict(garbage), dropped.predict(X))
    passed = Est(remainder="passthrough", **params).fit(X, y)
    assert passed.input_dims_ == {
        "text": len(layout["text"]),
        "audio": len(layout["audio"]),
        "remainder": len(video),
    }
    assert set(passed.modality_weights_) == {"text", "audio", "remainder"}


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_catalog_lists_full_tfn_and_low_rank_lmf(task):
    from skmer._catalog import fusion_catalog, variants

    Est = TensorFusionClassifier if task == "classification" else TensorFusionRegressor
    assert variants(Est) == {"tensor": {}, "tensor-lmf": {"rank": 4}}
    catalog = fusion_catalog(task)
    assert catalog["tensor"].rank is None and catalog["tensor-lmf"].rank == 4
