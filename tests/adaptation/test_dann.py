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
    a = DANNClassifier(max_epochs=3, random_state=0).fit(X, y_masked, sample_domain=domain)
    b = clone(a).fit(X, y_masked, sample_domain=domain)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X))
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_allclose(c.predict_proba(X), a.predict_proba(X))
    with sklearn.config_context(enable_metadata_routing=True):
        clf = DANNClassifier(max_epochs=2, random_state=0).set_fit_request(sample_domain=True)
        search = GridSearchCV(clf, {"domain_weight": [0.0, 1.0]},
                              cv=KFold(2, shuffle=True, random_state=0),
                              scoring=lambda est, X_, y_: float(np.mean(
                                  est.predict(X_[y_ != -1]) == y_[y_ != -1])))
        search.fit(X, y_masked, sample_domain=domain)
        assert search.best_params_["domain_weight"] in (0.0, 1.0)


def test_errors(shifted):
    X, y, domain = shifted
    with pytest.raises(ValueError, match="no source row"):
        DANNClassifier(max_epochs=1).fit(X, y, sample_domain=-np.ones(len(y), dtype=int))
    with pytest.raises(ValueError, match="one class"):
        DANNClassifier(max_epochs=1).fit(X, np.zeros(len(y)))
