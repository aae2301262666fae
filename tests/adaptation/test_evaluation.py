import numpy as np
import pytest

from skmer.adaptation import (
    DomainAdaptationClassifier,
    DomainAdaptationRegressor,
    cross_corpus_score,
)
from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import LateFusionClassifier


def _corpora():
    X, y = make_multimodal_classification(
        n_samples=400, class_sep=0.6, missing_rate=0.2, random_state=1
    )
    rng = np.random.RandomState(1)
    XB = X.iloc[200:] * rng.uniform(0.3, 3, X.shape[1]) + rng.normal(0, 2, X.shape[1])
    return X.iloc[:200], y[:200], XB, y[200:]


def test_cross_corpus_adaptation_beats_direct_transfer():
    XA, yA, XB, yB = _corpora()
    direct = cross_corpus_score(
        DomainAdaptationClassifier(), XA, yA, XB, yB, adapt=False
    )
    adapted = cross_corpus_score(DomainAdaptationClassifier(), XA, yA, XB, yB)
    plain = cross_corpus_score(LateFusionClassifier(), XA, yA, XB, yB)
    assert not direct.adapted and adapted.adapted and not plain.adapted
    assert adapted.score > direct.score + 0.1
    np.testing.assert_allclose(plain.score, direct.score)
    assert adapted.estimator.estimator_.classes_.tolist() == [0, 1]


def test_cross_corpus_regression_and_multi_source():
    X, y = make_multimodal_regression(n_samples=300, random_state=0)
    res = cross_corpus_score(
        DomainAdaptationRegressor(),
        X.iloc[:200],
        y[:200],
        X.iloc[200:] + 1.0,
        y[200:],
        source_domain=np.repeat([1, 2], 100),
    )
    assert res.adapted and res.estimator.n_source_domains_ == 2
    assert res.score > 0.3


def test_errors():
    XA, yA, XB, yB = _corpora()
    with pytest.raises(ValueError, match="same columns"):
        cross_corpus_score(DomainAdaptationClassifier(), XA, yA, XB.iloc[:, :5], yB)
    with pytest.raises(ValueError, match="positive domain id"):
        cross_corpus_score(
            DomainAdaptationClassifier(),
            XA,
            yA,
            XB,
            yB,
            source_domain=-np.ones(len(yA)),
        )


def test_cross_corpus_multi_output_regression():
    # the masked target labels must have the shape of the source targets
    X, y = make_multimodal_regression(n_samples=200, n_targets=2, random_state=0)
    res = cross_corpus_score(
        DomainAdaptationRegressor(), X.iloc[:100], y[:100], X.iloc[100:] + 1.0, y[100:]
    )
    assert res.adapted and res.estimator.predict(X.iloc[:3]).shape == (3, 2)
