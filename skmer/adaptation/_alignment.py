"""Discrepancy-based domain adaptation of modality blocks (CORAL, MMD re-weighting).

CORAL runs in the span of the rows (:mod:`skmer.adaptation._coral`, cost
O(n² d), so a block of 10 000 features aligns in well under a second); kernel
mean matching and any other adapter come from skada (``KMMReweightAdapter`` or
any skada adapter instance). This module makes them multimodal and
missing-modality aware: each modality block is adapted on the
rows where it is present (``level="modality"``), optionally with a joint
adaptation of the concatenated blocks on the rows where every modality is
present (``level="fused"``), and absent blocks stay NaN.
"""

import numpy as np
import pandas as pd
from sklearn.base import (
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    TransformerMixin,
    clone,
)
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.multiclass import check_classification_targets

from skmer.adaptation._coral import CORALAdapter
from skmer.adaptation._domain import check_sample_domain, source_rows
from skmer.fusion._base import BaseFusion, DelegatingClassifierMixin, fit_weighted
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import (
    HasMethods,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    _set_random_states,
    check_is_fitted,
)

_ADAPTERS = {"coral", "kmm", "none"}
# key of the adapter fitted on all source domains pooled (domain ids are never 0)
POOLED = 0


def _skada():
    return import_optional("skada", "adaptation")


def _make_adapter(adapter):
    """A fresh skada adapter for a name or an adapter instance."""
    if isinstance(adapter, str):
        if adapter == "coral":
            return CORALAdapter()
        if adapter == "kmm":
            return _skada().KMMReweightAdapter(gamma=None, smooth_weights=False)
        return None
    return clone(adapter)


def _is_reweighting(adapter):
    return adapter is not None and hasattr(adapter, "compute_weights")


def _domain_pairs(sd, per_source):
    """``[(source domain or 0, row mask)]``: the rows each adapter is fitted on.

    Key 0 stands for the pooled source domains (domain ids are never 0).
    """
    target = sd < 0
    if not per_source:
        return [(POOLED, np.ones(sd.size, dtype=bool))]
    return [(d, (sd == d) | target) for d in np.unique(sd[sd > 0])]


class _BlockAdapter:
    """One skada adapter per (block of columns, source domain), fitted on given rows."""

    def __init__(self, template, cols, per_source, min_rows):
        self.template = template
        self.cols = cols
        self.per_source = per_source
        self.min_rows = min_rows

    def fit(self, X, sd, rows):
        """Fit on the rows in ``rows`` (bool mask); no target or source: identity."""
        self.adapters_ = {}
        for domain, mask in _domain_pairs(sd, self.per_source):
            m = mask & rows
            n_src, n_tgt = np.sum(m & (sd > 0)), np.sum(m & (sd < 0))
            if min(n_src, n_tgt) < self.min_rows:
                self.adapters_[domain] = None
                continue
            adapter = clone(self.template)
            Xb = X[np.ix_(m, self.cols)]
            adapter.fit(Xb, sample_domain=sd[m])
            self.adapters_[domain] = adapter
        return self

    def _adapter_for(self, domain):
        if not self.per_source:
            return self.adapters_[POOLED]
        if domain not in self.adapters_:
            raise ValueError(
                f"sample_domain holds source domain {domain}, which was not seen in "
                f"fit (fitted source domains: {sorted(self.adapters_)})."
            )
        return self.adapters_[domain]

    def transform(self, X, sd, rows, out):
        """Write the adapted block of ``rows`` (bool mask) into ``out``."""
        if self.per_source:
            tgt_adapter = next(
                (a for a in self.adapters_.values() if a is not None), None
            )
        else:
            tgt_adapter = self.adapters_[POOLED]
        for domain in np.unique(sd[rows]):
            m = rows & (sd == domain)
            adapter = tgt_adapter if domain < 0 else self._adapter_for(domain)
            if adapter is None:
                continue
            block = adapter.transform(
                X[np.ix_(m, self.cols)], sample_domain=sd[m], allow_source=True
            )
            if block.shape[1] != self.cols.size:
                raise ValueError(
                    f"The adapter {type(adapter).__name__} maps {self.cols.size} "
                    f"columns to {block.shape[1]}; skmer's aligners need adapters "
                    "that keep the number of features (e.g. CORALAdapter)."
                )
            out[np.ix_(m, self.cols)] = block

    def weights(self, X, sd, rows):
        """Source weights of ``rows``; NaN where the block gave none."""
        w = np.full(sd.size, np.nan)
        for domain, adapter in self.adapters_.items():
            if adapter is None:
                continue
            m = rows & ((sd > 0) if domain == POOLED else (sd == domain))
            if not m.any():
                continue
            tgt = rows & (sd < 0)
            both = m | tgt
            wb = adapter.compute_weights(
                X[np.ix_(both, self.cols)], sample_domain=sd[both]
            )
            w[m] = np.asarray(wb)[m[both]]
        return w


class _AlignmentMixin:
    """Fit/apply per-modality (and fused) adapters; shared by aligner and models."""

    def _fit_alignment(self, X, present, sd, template):
        self.n_source_domains_ = np.unique(sd[sd > 0]).size
        self.block_adapters_ = {}
        if template is None:
            return
        min_rows = 2
        for j, (name, cols) in enumerate(self.modalities_.items()):
            self.block_adapters_[name] = _BlockAdapter(
                template, cols, self.per_source, min_rows
            ).fit(X, sd, present[:, j])
        if self.level == "fused" and len(self.modalities_) > 1:
            cols = np.concatenate(list(self.modalities_.values()))
            self.fused_adapter_ = _BlockAdapter(
                template, cols, self.per_source, min_rows
            ).fit(X, sd, present.all(axis=1))
        else:
            self.fused_adapter_ = None

    def _apply_alignment(self, X, present, sd):
        out = X.copy()
        complete = present.all(axis=1)
        use_fused = getattr(self, "fused_adapter_", None) is not None
        for j, (_name, block) in enumerate(self.block_adapters_.items()):
            rows = present[:, j] & ~complete if use_fused else present[:, j]
            block.transform(X, sd, rows, out)
        if use_fused:
            self.fused_adapter_.transform(X, sd, complete, out)
        return out

    def _alignment_weights(self, X, present, sd):
        """Per-row source weights: geometric mean over the modalities' weights."""
        logs = np.zeros(sd.size)
        counts = np.zeros(sd.size)
        blocks = list(self.block_adapters_.values())
        for j, block in enumerate(blocks):
            w = block.weights(X, sd, present[:, j])
            ok = np.isfinite(w)
            logs[ok] += np.log(np.clip(w[ok], 1e-12, None))
            counts[ok] += 1
        w = np.ones(sd.size)
        has = counts > 0
        w[has] = np.exp(logs[has] / counts[has])
        src = sd > 0
        if src.any() and w[src].sum() > 0:
            w[src] *= src.sum() / w[src].sum()
        return w


class ModalityAligner(_AlignmentMixin, TransformerMixin, BaseFusion):
    """Align each modality block of a source domain onto the target domain.

    An adapter (CORAL by default) is fitted per modality on the rows where
    that modality is present, from the source (``sample_domain > 0``) and target
    (``sample_domain < 0``) rows; ``transform`` maps each row with its
    modality's adapter, and absent blocks stay NaN. With ``level="fused"`` the
    rows where every modality is present are instead aligned jointly on the
    concatenated blocks (so cross-modal covariances are matched too); rows with
    a missing modality fall back to the per-modality adapters.

    The domains are passed the way skada does, as ``sample_domain`` metadata.
    In a ``Pipeline`` or ``GridSearchCV``, enable metadata routing and request
    it: ``sklearn.set_config(enable_metadata_routing=True)`` and
    ``ModalityAligner().set_fit_request(sample_domain=True)``. Fitting without
    any target row (or without ``sample_domain``) learns the identity.

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    adapter : "coral" or skada adapter, default="coral"
        The alignment: ``"coral"`` (correlation alignment with Ledoit-Wolf
        shrunk covariances of the standardised features, computed in the span
        of the rows so that wide blocks stay cheap; a constant block is left
        centred) or any skada adapter instance whose ``transform`` keeps the
        number of features (those need the optional dependency skada,
        ``pip install "skmer[adaptation]"``).
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality.
    level : {"modality", "fused"}, default="modality"
        Align each modality separately, or align the complete rows jointly.
    per_source : bool, default=False
        With several source domains (several positive ``sample_domain``
        values), fit one adapter per source domain onto the targets
        (multi-source adaptation) instead of pooling the sources.

    Attributes
    ----------
    block_adapters_ : dict of str to object
        Per-modality fitted adapters (``adapters_`` holds the skada adapter per
        source domain, key 0 for the pooled sources; None where there was
        nothing to align).
    fused_adapter_ : object or None
        The adapter of the complete rows (``level="fused"``).
    n_source_domains_ : int
        Number of source domains seen in fit.
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    DomainAdaptationClassifier : align, then fit a fusion estimator on the
        source rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import ModalityAligner
    >>> from skmer.datasets import make_multimodal_classification
    >>> X, y = make_multimodal_classification(n_samples=200, random_state=0)
    >>> domain = np.where(np.arange(200) < 100, 1, -1)
    >>> X.iloc[100:, :] = X.iloc[100:, :] * 3.0          # the target is scaled
    >>> Xt = ModalityAligner().fit_transform(X, sample_domain=domain)
    >>> ratio = Xt[:100].std(axis=0) / Xt[100:].std(axis=0)
    >>> bool(np.allclose(ratio, 1.0, atol=0.2))
    True
    """

    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        "adapter": [StrOptions({"coral"}), HasMethods(["fit", "transform"])],
        "level": [StrOptions({"modality", "fused"})],
        "per_source": ["boolean"],
    }

    def __init__(
        self, adapter="coral", *, modalities=None, level="modality", per_source=False
    ):
        self.adapter = adapter
        self.modalities = modalities
        self.level = level
        self.per_source = per_source

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_domain=None):
        """Fit the per-modality (and fused) adapters.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features of source and target rows; an all-NaN block marks a
            missing modality.
        y : None
            Ignored.
        sample_domain : array-like of shape (n_samples,), default=None
            Domain of each row: positive for source, negative for target. None
            makes every row a source row (nothing to align).

        Returns
        -------
        self : object
            The fitted aligner.
        """
        X, _, present = self._validate_fusion_data(X, reset=True)
        sd = check_sample_domain(sample_domain, X.shape[0])
        template = _make_adapter(self.adapter)
        if _is_reweighting(template):
            raise ValueError(
                f"adapter={type(template).__name__} re-weights samples instead of "
                "transforming them; use it with DomainAdaptationClassifier."
            )
        self._fit_alignment(X, present, sd, template)
        return self

    def transform(self, X, sample_domain=None):
        """Align X: source rows are mapped onto the target domain.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features.
        sample_domain : array-like of shape (n_samples,), default=None
            Domain of each row; None treats every row as target data (the usual
            case at prediction time).

        Returns
        -------
        X_aligned : ndarray of shape (n_samples, n_features)
            Aligned features; absent blocks stay NaN.
        """
        check_is_fitted(self)
        X, _, present = self._validate_fusion_data(X, reset=False)
        sd = (
            -np.ones(X.shape[0], dtype=int)
            if sample_domain is None
            else check_sample_domain(sample_domain, X.shape[0])
        )
        return self._apply_alignment(X, present, sd)

    def fit_transform(self, X, y=None, sample_domain=None):
        """Fit, then align X with the domains of fit.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features of source and target rows.
        y : None
            Ignored.
        sample_domain : array-like of shape (n_samples,), default=None
            Domain of each row (positive source, negative target).

        Returns
        -------
        X_aligned : ndarray of shape (n_samples, n_features)
        """
        self.fit(X, y, sample_domain=sample_domain)
        return self.transform(X, sample_domain=sample_domain)

    def get_feature_names_out(self, input_features=None):
        """Output column names: the input ones (alignment keeps the columns).

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored beyond the usual check.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            names = [f"x{i}" for i in range(self.n_features_in_)]
        return np.asarray(names, dtype=object)


class _BaseDomainAdaptation(_AlignmentMixin, MetaEstimatorMixin, BaseFusion):
    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict"]), None],
        "adapter": [
            StrOptions(_ADAPTERS),
            HasMethods(["fit", "transform"]),
            HasMethods(["fit", "compute_weights"]),
        ],
        "level": [StrOptions({"modality", "fused"})],
        "per_source": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        adapter="coral",
        modalities=None,
        level="modality",
        per_source=False,
        random_state=None,
    ):
        self.estimator = estimator
        self.adapter = adapter
        self.modalities = modalities
        self.level = level
        self.per_source = per_source
        self.random_state = random_state

    def _as_input(self, Z):
        """The aligned matrix in the form the fusion estimator expects."""
        names = getattr(self, "feature_names_in_", None)
        if names is not None:
            return pd.DataFrame(Z, columns=names)
        return Z

    def _inner_estimator(self):
        est = clone(
            self._default_estimator() if self.estimator is None else self.estimator
        )
        # the estimator needs the layout unless it can infer the same one from
        # "<modality>__<feature>" column names (an explicit `modalities` may group
        # columns otherwise)
        if (
            (
                getattr(self, "feature_names_in_", None) is None
                or self.modalities is not None
            )
            and "modalities" in est.get_params(deep=False)
            and est.get_params(deep=False)["modalities"] is None
        ):
            est.set_params(
                modalities={k: v.tolist() for k, v in self.modalities_.items()}
            )
        return est

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_domain=None, sample_weight=None):
        """Adapt the source rows to the target rows, then fit the estimator.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features of source and target rows; an all-NaN block marks
            a missing modality.
        y : array-like of shape (n_samples,)
            Labels of the source rows; the values of target rows are ignored
            (skada masks them with -1, or NaN for regression).
        sample_domain : array-like of shape (n_samples,), default=None
            Domain of each row, positive for source, negative for target
            (skada's convention). None: every row is source (no adaptation).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows, multiplied with the adaptation weights and
            passed to the estimator.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, _, present = self._validate_fusion_data(X, reset=True)
        sd = check_sample_domain(sample_domain, X.shape[0])
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None.")
        y = self._check_y(y)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y has {y.shape[0]} rows but X has {X.shape[0]}.")
        src = source_rows(y, sd)
        y_src = self._check_source_targets(y[src])
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
        template = _make_adapter(self.adapter)
        self._fit_alignment(X, present, sd, template)
        weights = np.ones(X.shape[0])
        if _is_reweighting(template):
            weights = self._alignment_weights(X, present, sd)
            Z = X
            self.adaptation_weights_ = weights[src]
        else:
            Z = self._apply_alignment(X, present, sd)
        if sample_weight is not None:
            weights = weights * sample_weight
        sw = (
            None
            if (sample_weight is None and not _is_reweighting(template))
            else weights[src]
        )
        self.estimator_ = self._inner_estimator()
        _set_random_states(self.estimator_, check_random_state(self.random_state))
        fit_weighted(self.estimator_, self._as_input(Z[src]), y_src, sw)
        self.modality_weights_ = getattr(
            self.estimator_,
            "modality_weights_",
            {name: 1.0 / len(self.modalities_) for name in self.modalities_},
        )
        return self

    def _target_input(self, X):
        check_is_fitted(self)
        X, _, present = self._validate_fusion_data(X, reset=False)
        sd = -np.ones(X.shape[0], dtype=int)
        if self.block_adapters_ and not _is_reweighting(
            next(iter(self.block_adapters_.values())).template
        ):
            X = self._apply_alignment(X, present, sd)
        return self._as_input(X)

    def predict(self, X):
        """Predict for target-domain rows.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features, treated as target-domain data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        X = self._target_input(X)
        return self.estimator_.predict(X)


class DomainAdaptationClassifier(
    DelegatingClassifierMixin, ClassifierMixin, _BaseDomainAdaptation
):
    """Multimodal domain adaptation around any (fusion) classifier.

    Aligns the labelled source rows to the unlabelled target rows per modality
    (CORAL), or re-weights the source rows to match the target distribution
    (kernel mean matching, i.e. MMD-based re-weighting; one weight per modality
    on its present rows, combined per row by their geometric mean), and then
    fits ``estimator`` on the source rows. Missing modalities stay missing, so
    any fusion estimator of :mod:`skmer.fusion` handles them downstream.

    The domains are skada's ``sample_domain`` metadata (positive = source,
    negative = target); several positive values are several source corpora,
    adapted separately with ``per_source=True``. Inside ``Pipeline`` or
    ``GridSearchCV`` enable routing with
    ``sklearn.set_config(enable_metadata_routing=True)`` and call
    ``clf.set_fit_request(sample_domain=True)``.

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    estimator : classifier, default=None
        The model fitted on the adapted source rows; None uses
        :class:`~skmer.fusion.LateFusionClassifier`. Its ``class_weight`` (or
        its base estimators') applies as usual.
    adapter : {"coral", "kmm", "none"} or skada adapter, default="coral"
        ``"coral"``: correlation alignment per modality (Ledoit-Wolf shrunk
        covariances, computed in the span of the rows, so its cost grows with
        n² d rather than d³); ``"kmm"``: skada's ``KMMReweightAdapter`` per
        modality; ``"none"``: direct transfer (the
        baseline); or any skada adapter (transforming or re-weighting).
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality.
    level : {"modality", "fused"}, default="modality"
        For transforming adapters: align each modality alone, or the complete
        rows jointly on the concatenated blocks (others per modality).
    per_source : bool, default=False
        One adapter per source domain (multi-source adaptation).
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator.

    Attributes
    ----------
    estimator_ : estimator
        The fitted classifier (on the adapted source rows).
    classes_ : ndarray of shape (n_classes,)
        Class labels (of the source rows).
    adaptation_weights_ : ndarray of shape (n_source_rows,)
        Re-weighting of the source rows (re-weighting adapters only).
    block_adapters_ : dict of str to object
        Per-modality fitted adapters.
    modality_weights_ : dict of str to float
        The estimator's modality weights (uniform if it has none).
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    ModalityAligner : the alignment alone, as a transformer.
    DANNClassifier : adversarial adaptation with per-modality encoders.
    cross_corpus_score : train on one corpus, adapt to and score on another.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import DomainAdaptationClassifier
    >>> from skmer.datasets import make_multimodal_classification
    >>> X, y = make_multimodal_classification(
    ...     n_samples=400, class_sep=0.6, missing_rate=0.2, random_state=1)
    >>> domain = np.where(np.arange(400) < 200, 1, -1)      # 200 source, 200 target
    >>> rng = np.random.RandomState(1)                      # per-feature shift
    >>> X.iloc[200:] = X.iloc[200:] * rng.uniform(0.3, 3, 45) + rng.normal(0, 2, 45)
    >>> y_masked = np.where(domain > 0, y, -1)             # target labels unknown
    >>> direct = DomainAdaptationClassifier(adapter="none", random_state=0)
    >>> coral = DomainAdaptationClassifier(adapter="coral", random_state=0)
    >>> for clf in (direct, coral):
    ...     clf = clf.fit(X, y_masked, sample_domain=domain)
    >>> round(direct.score(X[200:], y[200:]), 2), round(coral.score(X[200:], y[200:]), 2)
    (0.77, 0.94)
    """

    def _default_estimator(self):
        from skmer.fusion import LateFusionClassifier

        return LateFusionClassifier()

    def _check_y(self, y):
        return column_or_1d(y, warn=True)

    def _check_source_targets(self, y):
        check_classification_targets(y)
        return y

    def _transform_input(self, X):
        return self._target_input(X)


class DomainAdaptationRegressor(RegressorMixin, _BaseDomainAdaptation):
    """Multimodal domain adaptation around any (fusion) regressor.

    The regression counterpart of :class:`DomainAdaptationClassifier`:
    per-modality CORAL alignment or MMD (kernel mean matching) re-weighting of
    the source rows towards the target rows given by ``sample_domain``, then
    ``estimator`` fitted on the source rows. Target rows' ``y`` is ignored
    (skada masks it with NaN).

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    estimator : regressor, default=None
        None uses :class:`~skmer.fusion.LateFusionRegressor`.
    adapter : {"coral", "kmm", "none"} or skada adapter, default="coral"
        See :class:`DomainAdaptationClassifier`.
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``.
    level : {"modality", "fused"}, default="modality"
        Per-modality or joint alignment of complete rows.
    per_source : bool, default=False
        One adapter per source domain.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator.

    Attributes
    ----------
    estimator_ : estimator
        The fitted regressor.
    adaptation_weights_ : ndarray of shape (n_source_rows,)
        Re-weighting of the source rows (re-weighting adapters only).
    block_adapters_ : dict of str to object
        Per-modality fitted adapters.
    modality_weights_ : dict of str to float
        The estimator's modality weights (uniform if it has none).
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import DomainAdaptationRegressor
    >>> from skmer.datasets import make_multimodal_regression
    >>> X, y = make_multimodal_regression(n_samples=200, random_state=0)
    >>> domain = np.where(np.arange(200) < 100, 1, -1)
    >>> reg = DomainAdaptationRegressor(random_state=0)
    >>> reg = reg.fit(X, np.where(domain > 0, y, np.nan), sample_domain=domain)
    >>> reg.predict(X[100:]).shape
    (100,)
    """

    def _default_estimator(self):
        from skmer.fusion import LateFusionRegressor

        return LateFusionRegressor()

    def _check_y(self, y):
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _check_source_targets(self, y):
        y = np.asarray(y, dtype=float)
        if not np.all(np.isfinite(y)):
            raise ValueError(
                "y of the source rows (sample_domain > 0) holds NaN or inf."
            )
        return y
