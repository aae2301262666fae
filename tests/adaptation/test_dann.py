import pickle

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold

from skmer.adaptation import DANNClassifier
from skmer.datasets import make_multimodal_classification
from tests.adaptation.test_alignment import shifted_problem

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def shifted():
    return shifted_problem()


def test_adversarial_adaptation_recovers_target_accuracy(shifted):
    X, y, domain = shifted
    y_masked = np.where(domain > 0, y, -1)
    tgt = domain < 0
    plain, dann = [], []
    for seed in range(3):  # adversarial training is noisy: average a few seeds
        for weight, scores in ((0.0, plain), (1.0, dann)):
            clf = DANNClassifier(domain_weight=weight, max_epochs=30, random_state=seed)
            clf.fit(X, y_masked, sample_domain=domain)
            scores.append(clf.score(X[tgt], y[tgt]))
    assert np.mean(dann) > np.mean(plain) + 0.08
    assert np.mean(dann) > 0.82


def test_missing_modalities_masked_and_weights(shifted):
    X, y, domain = shifted
    clf = DANNClassifier(max_epochs=5, random_state=0).fit(
        X, np.where(domain > 0, y, -1), sample_domain=domain
    )
    assert set(clf.modality_weights_) == {"text", "audio", "video"}
    np.testing.assert_allclose(sum(clf.modality_weights_.values()), 1.0)
    # a row that lost a modality still gets a prediction, from the others
    Xm = X.iloc[:5].copy()
    Xm.loc[:, [c for c in X.columns if c.startswith("text")]] = np.nan
    proba = clf.predict_proba(Xm)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert clf.net_.module_.discriminator is not None


def test_class_weight():
    X, y = make_multimodal_classification(
        n_samples=600, weights=[0.85, 0.15], class_sep=0.3, random_state=0
    )
    train, test = slice(0, 300), slice(300, 600)
    kw = dict(max_epochs=5, random_state=0)
    plain = DANNClassifier(**kw).fit(X[train], y[train])
    balanced = DANNClassifier(class_weight="balanced", **kw).fit(X[train], y[train])
    # the minority class is predicted more often on unseen rows
    assert balanced.predict(X[test]).mean() > plain.predict(X[test]).mean() + 0.03


def test_determinism_clone_pickle_gridsearch(shifted):
    X, y, domain = shifted
    y_masked = np.where(domain > 0, y, -1)
    a = DANNClassifier(max_epochs=3, random_state=0).fit(
        X, y_masked, sample_domain=domain
    )
    b = clone(a).fit(X, y_masked, sample_domain=domain)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X))
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_allclose(c.predict_proba(X), a.predict_proba(X))
    with sklearn.config_context(enable_metadata_routing=True):
        clf = DANNClassifier(max_epochs=2, random_state=0).set_fit_request(
            sample_domain=True
        )
        search = GridSearchCV(
            clf,
            {"domain_weight": [0.0, 1.0]},
            cv=KFold(2, shuffle=True, random_state=0),
            scoring=lambda est, X_, y_: float(
                np.mean(est.predict(X_[y_ != -1]) == y_[y_ != -1])
            ),
        )
        search.fit(X, y_masked, sample_domain=domain)
        assert search.best_params_["domain_weight"] in (0.0, 1.0)


def test_errors(shifted):
    X, y, domain = shifted
    with pytest.raises(ValueError, match="no source row"):
        DANNClassifier(max_epochs=1).fit(
            X, y, sample_domain=-np.ones(len(y), dtype=int)
        )
    with pytest.raises(ValueError, match="one class"):
        DANNClassifier(max_epochs=1).fit(X, np.zeros(len(y)))


def test_prefixed_params_callbacks_and_portable_pickle(shifted):
    from skorch.callbacks import Callback

    class Count(Callback):
        epochs = 0

        def on_epoch_end(self, net, **kwargs):
            self.epochs += 1

    X, y, domain = shifted
    y_masked = np.where(domain > 0, y, -1)
    base = DANNClassifier(max_epochs=5, random_state=0)
    count = Count()
    tuned = clone(base).set_params(
        module__dropout=0.5, optimizer__weight_decay=0.1, callbacks=[count]
    )
    a = base.fit(X, y_masked, sample_domain=domain)
    b = tuned.fit(X, y_masked, sample_domain=domain)
    assert count.epochs == 5
    assert b.net_.module_.encoders[0][2].p == 0.5
    assert b.net_.optimizer_.param_groups[0]["weight_decay"] == 0.1
    assert not np.allclose(a.predict_proba(X), b.predict_proba(X))
    dumped = pickle.dumps(b.set_params(callbacks=None))  # Count is a local class
    assert b"torch" not in dumped  # the net is stored as plain arrays
    np.testing.assert_array_equal(
        pickle.loads(dumped).predict_proba(X), b.predict_proba(X)
    )
    grid = GridSearchCV(
        DANNClassifier(max_epochs=3, random_state=0),
        {"module__dropout": [0.0, 0.3]},
        cv=KFold(2),
    ).fit(X, y)
    assert grid.best_estimator_.module_params == {
        "dropout": grid.best_params_["module__dropout"]
    }


def test_unusable_device_and_divergence_are_clear_errors(shifted):
    X, y, domain = shifted
    with pytest.raises(ValueError, match="device='nodevice' is not a torch device"):
        DANNClassifier(max_epochs=1, device="nodevice").fit(X, y)
    with pytest.raises(ValueError, match="Training diverged"):
        DANNClassifier(max_epochs=3, optimizer="sgd", lr=1e12, random_state=0).fit(X, y)


@pytest.mark.parametrize("class_weight", [None, [1.0, 3.0]])
def test_loss_with_integer_weights_equals_the_loss_of_repeated_rows(class_weight):
    from skmer.adaptation._dann_torch import DANNLoss

    rng = torch.Generator().manual_seed(0)
    logits, domain_logit = (
        torch.randn(6, 2, generator=rng),
        torch.randn(6, generator=rng),
    )
    y_true = torch.tensor([[0, 1], [1, 1], [-1, 0], [1, 1], [-1, 0], [0, 1]])
    weights = torch.tensor([1, 3, 2, 0, 1, 2])
    loss = DANNLoss(class_weight)
    repeat = torch.repeat_interleave(torch.arange(6), weights)
    repeated = loss((logits[repeat], domain_logit[repeat]), y_true[repeat])
    weighted = loss((logits, domain_logit), y_true, sample_weight=weights.float())
    torch.testing.assert_close(weighted, repeated)
    ones = loss((logits, domain_logit), y_true, sample_weight=torch.ones(6))
    torch.testing.assert_close(ones, loss((logits, domain_logit), y_true))


def test_fit_takes_sample_weight(shifted):
    X, y, domain = shifted
    y_masked = np.where(domain > 0, y, -1)
    kw = dict(max_epochs=3, random_state=0)
    plain = DANNClassifier(**kw).fit(X, y_masked, sample_domain=domain)
    uniform = DANNClassifier(**kw).fit(
        X, y_masked, sample_domain=domain, sample_weight=np.full(len(y), 2.0)
    )
    np.testing.assert_allclose(
        uniform.predict_proba(X), plain.predict_proba(X), rtol=1e-4, atol=1e-6
    )
    # weighting up the source rows of class 1 shifts predictions towards it
    w = np.where((domain > 0) & (y == 1), 5.0, 1.0)
    weighted = DANNClassifier(**kw).fit(
        X, y_masked, sample_domain=domain, sample_weight=w
    )
    assert (weighted.predict(X) == 1).mean() > (plain.predict(X) == 1).mean()
    with pytest.raises(
        ValueError, match="sample_weight must be finite and non-negative"
    ):
        DANNClassifier(**kw).fit(X, y_masked, sample_weight=-w)
