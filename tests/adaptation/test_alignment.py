import pickle

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline

from skmer.adaptation import (
    DomainAdaptationClassifier,
    DomainAdaptationRegressor,
    ModalityAligner,
    check_sample_domain,
)
from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import EarlyFusionClassifier, LateFusionClassifier


def shifted_problem(n=400, seed=1, missing_rate=0.2):
    """Source half and target half, the target with a per-feature affine shift."""
    X, y = make_multimodal_classification(
        n_samples=n, class_sep=0.6, missing_rate=missing_rate, random_state=seed
    )
    h = n // 2
    rng = np.random.RandomState(seed)
    X.iloc[h:] = X.iloc[h:].to_numpy() * rng.uniform(0.3, 3, X.shape[1]) + rng.normal(
        0, 2, X.shape[1]
    )
    domain = np.where(np.arange(n) < h, 1, -1)
    return X, y, domain


@pytest.fixture(scope="module")
def shifted():
    return shifted_problem()


def _target_score(clf, X, y, domain):
    y_masked = np.where(domain > 0, y, -1)
    clf.fit(X, y_masked, sample_domain=domain)
    tgt = domain < 0
    return clf.score(X[tgt], y[tgt])


@pytest.mark.parametrize("level", ["modality", "fused"])
def test_coral_recovers_target_accuracy(shifted, level):
    X, y, domain = shifted
    direct = _target_score(DomainAdaptationClassifier(adapter="none"), X, y, domain)
    adapted = _target_score(
        DomainAdaptationClassifier(adapter="coral", level=level), X, y, domain
    )
    # in-domain accuracy on this target is ~0.945 (5-fold CV on its own labels)
    assert direct < 0.8
    assert adapted > 0.9
    assert adapted - direct > 0.12


def test_coral_with_early_fusion(shifted):
    X, y, domain = shifted
    direct = _target_score(
        DomainAdaptationClassifier(EarlyFusionClassifier(), adapter="none"),
        X,
        y,
        domain,
    )
    adapted = _target_score(
        DomainAdaptationClassifier(EarlyFusionClassifier()), X, y, domain
    )
    assert adapted > direct + 0.05


def test_aligner_matches_second_moments_per_modality(shifted):
    X, _, domain = shifted
    Z = ModalityAligner().fit_transform(X, sample_domain=domain)
    present = ~np.isnan(Z)
    for cols in (slice(0, 20), slice(20, 30), slice(30, 45)):
        src = Z[domain > 0, cols]
        tgt = Z[domain < 0, cols]
        src = src[~np.isnan(src).any(axis=1)]
        tgt = tgt[~np.isnan(tgt).any(axis=1)]
        # after CORAL both domains are centred with (nearly) equal covariances
        np.testing.assert_allclose(src.mean(axis=0), 0, atol=1e-8)
        np.testing.assert_allclose(tgt.mean(axis=0), 0, atol=1e-8)
        cs, ct = np.cov(src.T), np.cov(tgt.T)
        assert np.linalg.norm(cs - ct) / np.linalg.norm(ct) < 0.35
    # missing blocks stay missing, and nothing else becomes NaN
    np.testing.assert_array_equal(present, ~np.isnan(X.to_numpy()))


def test_fused_level_aligns_cross_modal_covariance():
    rng = np.random.RandomState(0)
    n = 600
    z = rng.normal(size=(n, 1))
    X = np.hstack([z + 0.3 * rng.normal(size=(n, 2)), rng.normal(size=(n, 2))])
    # target: modality b becomes correlated with modality a
    X[n // 2 :, 2:] = X[n // 2 :, :2] + 0.3 * rng.normal(size=(n // 2, 2))
    domain = np.where(np.arange(n) < n // 2, 1, -1)
    layout = {"a": [0, 1], "b": [2, 3]}
    cross = {}
    for level in ("modality", "fused"):
        Z = ModalityAligner(modalities=layout, level=level).fit_transform(
            X, sample_domain=domain
        )
        c_src = np.corrcoef(Z[domain > 0].T)[0, 2]
        c_tgt = np.corrcoef(Z[domain < 0].T)[0, 2]
        cross[level] = abs(c_src - c_tgt)
    assert cross["modality"] > 0.5  # per-modality alignment cannot fix it
    assert cross["fused"] < 0.1


def test_aligner_identity_without_target():
    X, _ = make_multimodal_classification(n_samples=60, random_state=0)
    Z = ModalityAligner().fit(X).transform(X)
    np.testing.assert_allclose(Z, X.to_numpy())


def test_aligner_missing_modality_in_all_target_rows():
    X, y, domain = shifted_problem(n=200, missing_rate=0.0)
    X.loc[domain < 0, [c for c in X.columns if c.startswith("audio")]] = np.nan
    al = ModalityAligner().fit(X, sample_domain=domain)
    assert al.block_adapters_["audio"].adapters_[0] is None  # nothing to align to
    assert al.block_adapters_["text"].adapters_[0] is not None
    Z = al.transform(X, sample_domain=domain)
    audio = [i for i, c in enumerate(X.columns) if c.startswith("audio")]
    np.testing.assert_allclose(
        Z[domain > 0][:, audio], X.to_numpy()[domain > 0][:, audio]
    )
    assert np.isnan(Z[domain < 0][:, audio]).all()


def test_multi_source_per_source_alignment():
    X, y = make_multimodal_classification(n_samples=600, class_sep=0.6, random_state=3)
    domain = np.repeat([1, 2, -1], 200)
    rng = np.random.RandomState(3)
    # each source corpus has its own shift; the target is the raw data
    for rows in (slice(0, 200), slice(200, 400)):
        X.iloc[rows] = X.iloc[rows].to_numpy() * rng.uniform(0.3, 3, 45) + rng.normal(
            0, 3, 45
        )
    # per source, each corpus is centred on its own; pooled, they are not
    Z = ModalityAligner(per_source=True).fit_transform(X, sample_domain=domain)
    pooled = ModalityAligner().fit_transform(X, sample_domain=domain)
    for d in (1, 2):
        np.testing.assert_allclose(Z[domain == d].mean(axis=0), 0, atol=1e-8)
        assert np.abs(pooled[domain == d].mean(axis=0)).mean() > 0.1
    y_masked = np.where(domain > 0, y, -1)
    tgt = domain < 0
    scores = {}
    for adapter in ("none", "coral"):
        clf = DomainAdaptationClassifier(
            adapter=adapter, per_source=True, random_state=0
        )
        clf.fit(X, y_masked, sample_domain=domain)
        assert clf.n_source_domains_ == 2
        scores[adapter] = clf.score(X[tgt], y[tgt])
    assert scores["coral"] > scores["none"] + 0.05


def test_kmm_weights_follow_density_ratio():
    rng = np.random.RandomState(0)
    n = 300
    Xs = rng.normal(0, 1, size=(n, 2))
    Xt = rng.normal(0.8, 0.6, size=(n, 2))
    X = np.vstack(
        [
            np.hstack([Xs, Xs[:, :1] + rng.normal(0, 1, (n, 1))]),
            np.hstack([Xt, Xt[:, :1] + rng.normal(0, 1, (n, 1))]),
        ]
    )
    y = np.r_[(Xs[:, 0] > 0.5).astype(int), -np.ones(n, dtype=int)]
    domain = np.r_[np.ones(n), -np.ones(n)].astype(int)
    clf = DomainAdaptationClassifier(
        LateFusionClassifier(), adapter="kmm", modalities={"a": [0, 1], "b": [2]}
    ).fit(X, y, sample_domain=domain)
    w = clf.adaptation_weights_
    assert w.shape == (n,)
    np.testing.assert_allclose(w.mean(), 1.0)
    # true ratio of modality a's densities (target / source)
    log_ratio = -0.5 * (((Xs - 0.8) / 0.6) ** 2).sum(1) + 0.5 * (Xs**2).sum(1)
    assert np.corrcoef(np.log(w + 1e-9), log_ratio)[0, 1] > 0.4


def test_sample_weight_passed_through(shifted):
    X, y, domain = shifted
    y_masked = np.where(domain > 0, y, -1)
    sw = np.where(domain > 0, 1.0, 0.0)
    sw[:50] = 0.0  # dropping rows by weight equals dropping them
    a = DomainAdaptationClassifier(adapter="none", random_state=0).fit(
        X, y_masked, sample_domain=domain, sample_weight=sw
    )
    keep = np.ones(len(y), dtype=bool)
    keep[:50] = False
    b = DomainAdaptationClassifier(adapter="none", random_state=0).fit(
        X[keep], y_masked[keep], sample_domain=domain[keep]
    )
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-6)


def test_class_weight_of_base_estimator_applies():
    X, y = make_multimodal_classification(
        n_samples=300, weights=[0.9, 0.1], class_sep=0.3, random_state=0
    )
    from sklearn.linear_model import LogisticRegression

    plain = DomainAdaptationClassifier(LateFusionClassifier(LogisticRegression()))
    balanced = DomainAdaptationClassifier(
        LateFusionClassifier(LogisticRegression(class_weight="balanced"))
    )
    assert balanced.fit(X, y).predict(X).mean() > plain.fit(X, y).predict(X).mean()


def test_regressor_recovers_shift():
    X, y = make_multimodal_regression(n_samples=400, missing_rate=0.1, random_state=0)
    rng = np.random.RandomState(0)
    X.iloc[200:] = X.iloc[200:].to_numpy() * rng.uniform(
        0.3, 3, X.shape[1]
    ) + rng.normal(0, 2, X.shape[1])
    domain = np.where(np.arange(400) < 200, 1, -1)
    y_masked = np.where(domain > 0, y, np.nan)
    scores = {}
    for adapter in ("none", "coral"):
        reg = DomainAdaptationRegressor(adapter=adapter).fit(
            X, y_masked, sample_domain=domain
        )
        scores[adapter] = reg.score(X[200:], y[200:])
    assert scores["coral"] > scores["none"] + 0.2


def test_metadata_routing_in_pipeline_and_gridsearch(shifted):
    X, y, domain = shifted
    y_masked = np.where(domain > 0, y, -1)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = DomainAdaptationClassifier().set_fit_request(sample_domain=True)
        search = GridSearchCV(
            clf,
            {"adapter": ["none", "coral"], "level": ["modality", "fused"]},
            cv=KFold(2, shuffle=True, random_state=0),
            # score on the target rows of each test fold
            scoring=lambda est, X_, y_: (
                float(np.mean(est.predict(X_[y_ != -1]) == y_[y_ != -1]))
                if (y_ != -1).any()
                else 0.0
            ),
        )
        # score folds with the true labels of source rows; the fit uses the domains
        search.fit(X, y_masked, sample_domain=domain)
        assert search.best_params_["adapter"] in ("none", "coral")
        # a plain Pipeline routes sample_domain to the aligner (here with a few
        # labelled target rows, so the final step may see every row)
        aligner = ModalityAligner().set_fit_request(sample_domain=True)
        pipe = Pipeline(
            [
                ("align", aligner.set_transform_request(sample_domain=True)),
                (
                    "clf",
                    LateFusionClassifier(
                        modalities={
                            "text": slice(0, 20),
                            "audio": slice(20, 30),
                            "video": slice(30, 45),
                        }
                    ),
                ),
            ]
        )
        pipe.fit(X, y, sample_domain=domain)
        assert pipe[0].block_adapters_["text"].adapters_[0] is not None
        assert pipe.score(X[domain < 0], y[domain < 0]) > 0.85


def test_clone_pickle_and_determinism(shifted):
    X, y, domain = shifted
    y_masked = np.where(domain > 0, y, -1)
    clf = DomainAdaptationClassifier(level="fused", random_state=0).fit(
        X, y_masked, sample_domain=domain
    )
    again = clone(clf).fit(X, y_masked, sample_domain=domain)
    np.testing.assert_array_equal(clf.predict_proba(X), again.predict_proba(X))
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    sio = pytest.importorskip("skops.io")
    blob = sio.dumps(clf)
    loaded = sio.loads(blob, trusted=sio.get_untrusted_types(data=blob))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))


def test_ndarray_input_with_modalities(shifted):
    X, y, domain = shifted
    layout = {"text": slice(0, 20), "audio": slice(20, 30), "video": slice(30, 45)}
    clf = DomainAdaptationClassifier(modalities=layout).fit(
        X.to_numpy(), np.where(domain > 0, y, -1), sample_domain=domain
    )
    assert set(clf.estimator_.modalities_) == set(layout)
    assert clf.predict(X.to_numpy()).shape == (len(y),)


def test_errors(shifted):
    X, y, domain = shifted
    with pytest.raises(ValueError, match="one value per row"):
        check_sample_domain([1, -1], 3)
    with pytest.raises(ValueError, match="must not be 0"):
        check_sample_domain([1, 0, -1], 3)
    with pytest.raises(ValueError, match="integers"):
        check_sample_domain([1.5, -1, 1], 3)
    with pytest.raises(ValueError, match="no source row"):
        DomainAdaptationClassifier().fit(
            X, y, sample_domain=-np.ones(len(y), dtype=int)
        )
    with pytest.raises(ValueError, match="re-weights samples"):
        import skada

        ModalityAligner(adapter=skada.KMMReweightAdapter()).fit(X, sample_domain=domain)
    bad = X.copy()
    bad.iloc[3, 0] = np.nan
    with pytest.raises(
        ValueError, match="Modality 'text' has NaN inside a present block"
    ):
        ModalityAligner().fit(bad, sample_domain=domain)
    al = ModalityAligner(per_source=True).fit(X, sample_domain=domain)
    with pytest.raises(ValueError, match="source domain 7"):
        al.transform(X, sample_domain=np.full(len(y), 7))
    with pytest.raises(ValueError, match="source rows .* NaN"):
        DomainAdaptationRegressor().fit(
            X, np.full(len(y), np.nan), sample_domain=domain
        )


def test_dataframe_output_keeps_columns(shifted):
    X, _, domain = shifted
    al = ModalityAligner().set_output(transform="pandas")
    Z = al.fit_transform(X, sample_domain=domain)
    assert isinstance(Z, pd.DataFrame)
    assert list(Z.columns) == list(X.columns)


def test_explicit_layout_reaches_the_estimator_for_unprefixed_dataframe(shifted):
    # columns not named "<modality>__<feature>": the inner fusion estimator must get
    # the `modalities` layout, not see X as a single modality
    X, y, domain = shifted
    Xp = X.set_axis([c.replace("__", "_") for c in X.columns], axis=1)
    layout = {
        m: [c for c in Xp.columns if c.startswith(m)]
        for m in ["text", "audio", "video"]
    }
    clf = DomainAdaptationClassifier(modalities=layout, random_state=0)
    clf.fit(Xp, np.where(domain > 0, y, -1), sample_domain=domain)
    assert list(clf.estimator_.modalities_) == ["text", "audio", "video"]
    assert list(clf.modality_weights_) == ["text", "audio", "video"]
    ref = DomainAdaptationClassifier(random_state=0)
    ref.fit(X, np.where(domain > 0, y, -1), sample_domain=domain)
    np.testing.assert_allclose(clf.predict_proba(Xp), ref.predict_proba(X))


def _dense_coral(X, domain):
    """CORAL computed with d x d matrices (the reference for the low-rank one)."""
    from sklearn.covariance import ledoit_wolf

    def power(C, p):
        w, v = np.linalg.eigh(C)
        w = np.where(w > 1e-10 * w.max(), w, 0.0)
        return (v * np.where(w > 0, np.abs(w) ** p, 0.0)) @ v.T

    def stats(A):
        mean, scale = A.mean(axis=0), A.std(axis=0)
        scale[scale == 0] = 1
        return mean, scale, ledoit_wolf((A - mean) / scale)[0]

    ms, ss, cs = stats(X[domain > 0])
    mt, st, ct = stats(X[domain < 0])
    out = X - mt
    out[domain > 0] = (
        ((X[domain > 0] - ms) / ss) @ power(cs, -0.5) @ power(ct, 0.5) * st
    )
    return out


@pytest.mark.parametrize("n_features", [5, 80])
def test_low_rank_coral_equals_dense_computation(n_features):
    # with more features than rows (80 > 30) the covariances are low rank plus a
    # scaled identity; the row-span computation must give the dense result
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, n_features)) @ rng.normal(size=(n_features, n_features))
    X[30:] = X[30:] * 2.5 + 1.0
    domain = np.where(np.arange(60) < 30, 1, -1)
    Z = ModalityAligner().fit_transform(X, sample_domain=domain)
    np.testing.assert_allclose(Z, _dense_coral(X, domain), atol=1e-8)


def test_coral_on_a_wide_block_stays_finite_and_small_in_memory():
    # d = 10 000 features and 40 rows: a d x d covariance would need 800 MB and
    # O(d^3) work; the fitted adapter keeps only n x d factors
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 10_000))
    domain = np.where(np.arange(40) < 20, 1, -1)
    al = ModalityAligner(modalities={"wide": slice(0, 10_000)}).fit(
        X, sample_domain=domain
    )
    adapter = al.block_adapters_["wide"].adapters_[0]
    assert adapter.cov_source_.vt.shape == (20, 10_000)
    Z = al.transform(X, sample_domain=domain)
    assert np.isfinite(Z).all()
    clf = DomainAdaptationClassifier(
        modalities={"wide": slice(0, 10_000)}, random_state=0
    )
    clf.fit(X, np.where(domain > 0, np.arange(40) % 2, -1), sample_domain=domain)
    assert clf.predict(X).shape == (40,)


@pytest.mark.parametrize("level", ["modality", "fused"])
def test_constant_present_modality_is_not_turned_into_missing(level):
    rng = np.random.RandomState(0)
    X = np.c_[rng.normal(size=(40, 3)), np.full((40, 2), 7.0)]
    domain = np.where(np.arange(40) < 20, 1, -1)
    layout = {"a": [0, 1, 2], "b": [3, 4]}
    al = ModalityAligner(modalities=layout, level=level).fit(X, sample_domain=domain)
    for sd in (domain, None):
        Z = al.transform(X, sample_domain=sd)
        assert np.isfinite(Z).all()
        np.testing.assert_allclose(Z[:, 3:], 0.0)  # centred, and still present
