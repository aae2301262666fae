"""Decision-level fusion: members fitted on their own rows, outputs combined per row.

A *member* is a base estimator that sees some columns of X and is present in some
rows: in late fusion each modality is a member present where that modality is;
hybrid fusion adds an early-fused member present wherever any modality is. Each
member abstains in the rows where it is absent and the remaining members' weights
are renormalised per row. A row where every member abstains gets the training
prior (class frequencies, or the target mean).
"""

from contextlib import contextmanager
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import ClassifierMixin, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.metrics import balanced_accuracy_score, r2_score
from sklearn.model_selection import KFold, StratifiedKFold, check_cv
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.multiclass import check_classification_targets

from skmer.fusion._base import (
    BaseFusion,
    accepts_sample_weight,
    block_importances,
    fit_weighted,
    normalize_weights,
)
from skmer.utils._sklearn_compat import (
    HasMethods,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    _set_random_states,
    available_if,
    check_is_fitted,
)

# Added to a member's predictive variance so that a fully confident member gets a
# large but finite per-row weight in ``method="variance"``.
_VARIANCE_FLOOR = 1e-3


@contextmanager
def _naming_member(name, n_rows, stage):
    """Re-raise a member's ValueError/TypeError with the member's name, so that
    e.g. a modality whose rows hold a single class is identified."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        kind = ValueError if isinstance(exc, ValueError) else TypeError
        raise kind(
            f"Fitting the estimator of member {name!r} on its {n_rows} rows (where "
            f"it is present) failed{stage}: {exc}"
        ) from exc


def _fit_one(name, estimator, X, y, sample_weight):
    """Fit one member on its own rows."""
    with _naming_member(name, X.shape[0], ""):
        return fit_weighted(estimator, X, y, sample_weight)


def _oof_one(name, estimator, X, y, sample_weight, cv, output):
    """Out-of-fold outputs of one member on its own rows."""
    out = np.empty((X.shape[0],) + output(estimator, X[:1], fit_shape_only=True))
    with _naming_member(name, X.shape[0], " during cross-validation (see `cv`)"):
        for train, test in cv.split(X, y):
            sw = None if sample_weight is None else sample_weight[train]
            est = fit_weighted(clone(estimator), X[train], y[train], sw)
            out[test] = output(est, X[test])
    return out


class _BaseDecisionFusion(MetaEstimatorMixin, BaseFusion):
    """Members fitted on the rows where they are present, combined per row."""

    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        "estimator": [HasMethods(["fit"]), dict, None],
        "weights": [dict, "array-like", None],
        "final_estimator": [HasMethods(["fit"]), None],
        "cv": ["cv_object"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    # -- hooks -------------------------------------------------------------
    def _members(self):
        """List of ``(name, estimator template, column indices)``."""
        raise NotImplementedError

    def _member_presence(self, present):
        """(n_samples, n_members) bool: where each member is present."""
        raise NotImplementedError

    def _modality_weights_from(self, member_weights):
        return normalize_weights(member_weights)

    # -- shared machinery ----------------------------------------------------
    def _cv(self, y):
        if isinstance(self.cv, Integral):
            seed = self._seed
            if self._is_classifier_fusion:
                return StratifiedKFold(self.cv, shuffle=True, random_state=seed)
            return KFold(self.cv, shuffle=True, random_state=seed)
        return check_cv(self.cv, y, classifier=self._is_classifier_fusion)

    def _resolve_static_weights(self, names):
        w = self.weights
        if w is None:
            return {n: 1.0 for n in names}
        if isinstance(w, dict):
            missing = [n for n in names if n not in w]
            extra = [k for k in w if k not in names]
            if missing or extra:
                raise ValueError(
                    f"weights must give one weight per member {names}; missing "
                    f"{missing}, unknown {extra}."
                )
            w = [w[n] for n in names]
        w = np.asarray(w, dtype=float)
        if w.shape != (len(names),):
            raise ValueError(
                f"weights has {w.size} values; expected {len(names)} (one per member "
                f"{names})."
            )
        if np.any(w < 0) or not np.all(np.isfinite(w)) or w.sum() == 0:
            raise ValueError(f"weights must be finite, non-negative, not all 0; got {w}.")
        return dict(zip(names, w.tolist()))

    def _needs_oof(self):
        return self.method == "stacking" or (
            self.method == "weighted" and self.weights is None
        )

    def _fit_members(self, X, y, present, sample_weight):
        members = self._members()
        self._member_names = [m[0] for m in members]
        mp = self._member_presence(present)
        rng = check_random_state(self.random_state)
        self._seed = rng.randint(np.iinfo(np.int32).max)
        templates = []
        for name, est, _ in members:
            est = clone(est)
            _set_random_states(est, rng)
            if sample_weight is not None and not accepts_sample_weight(est):
                raise TypeError(
                    f"The estimator of member {name!r} ({type(est).__name__}) does not "
                    "accept sample_weight."
                )
            templates.append(est)
        self._check_member_capabilities(templates)

        def rows(i):
            return np.flatnonzero(mp[:, i])

        def sub(i):
            r = rows(i)
            sw = None if sample_weight is None else sample_weight[r]
            return X[np.ix_(r, members[i][2])], y[r], sw

        parallel = Parallel(n_jobs=self.n_jobs)
        self.estimators_ = parallel(
            delayed(_fit_one)(self._member_names[i], clone(t), *sub(i))
            for i, t in enumerate(templates)
        )
        self.named_estimators_ = Bunch(**dict(zip(self._member_names, self.estimators_)))
        self._member_columns = [m[2] for m in members]
        oof = None
        if self._needs_oof() or self._needs_residuals():
            oof = parallel(
                delayed(_oof_one)(
                    self._member_names[i], t, *sub(i), self._cv(sub(i)[1]),
                    self._member_output,
                )
                for i, t in enumerate(templates)
            )
        return mp, oof

    def _member_outputs(self, X, mp):
        """Each member's output on its present rows (NaN where absent)."""
        outs = []
        for i, est in enumerate(self.estimators_):
            r = np.flatnonzero(mp[:, i])
            shape = self._member_output(est, X[:1], fit_shape_only=True)
            o = np.full((X.shape[0],) + shape, np.nan)
            if r.size:
                o[r] = self._member_output(est, X[np.ix_(r, self._member_columns[i])])
            outs.append(o)
        return outs

    def _stack_features(self, outs, mp):
        """Meta features: centred member outputs (0 where absent) + presence."""
        cols = []
        for o, p in zip(outs, mp.T):
            centred = o.reshape(o.shape[0], -1) - self._prior_output().ravel()
            centred[~p] = 0.0
            cols.append(centred)
        return np.hstack([*cols, mp.astype(float)])

    def _fit_combiner(self, X, y, mp, oof, sample_weight):
        names = self._member_names
        static = self._resolve_static_weights(names)
        if self.method == "weighted" and self.weights is None:
            scores = {}
            for i, n in enumerate(names):
                r = np.flatnonzero(mp[:, i])
                scores[n] = self._skill(y[r], oof[i])
            static = scores
        self.weights_ = normalize_weights(static)
        if self.method == "stacking":
            full = []
            for i, o in enumerate(oof):
                f = np.full((X.shape[0],) + o.shape[1:], np.nan)
                f[mp[:, i]] = o
                full.append(f)
            meta = self._stack_features(full, mp)
            width = full[0].reshape(X.shape[0], -1).shape[1]
            meta_layout = {
                n: np.arange(i * width, (i + 1) * width) for i, n in enumerate(names)
            }
            final = self.final_estimator
            final = clone(self._default_final() if final is None else final)
            _set_random_states(final, self._seed)
            self.final_estimator_ = fit_weighted(final, meta, y, sample_weight)
            w = block_importances(self.final_estimator_, meta_layout, meta.shape[1])
            member_w = w if w is not None else {n: 1.0 for n in names}
        elif self.method == "variance":
            outs = self._member_outputs(X, mp)
            shares = self._row_weights(outs, mp)
            member_w = dict(zip(names, shares[mp.any(axis=1)].mean(axis=0)))
        else:
            member_w = self.weights_
        self.modality_weights_ = self._modality_weights_from(member_w)

    def _row_weights(self, outs, mp):
        """(n, n_members) per-row weights, 0 where absent, rows normalised."""
        w = np.tile([self.weights_[n] for n in self._member_names], (mp.shape[0], 1))
        if self.method == "variance":
            w = w / (self._predictive_variance(outs) + _VARIANCE_FLOOR)
        w = np.where(mp, w, 0.0)
        total = w.sum(axis=1, keepdims=True)
        return np.divide(w, total, out=np.zeros_like(w), where=total > 0)

    def _combined(self, X):
        """Combined output per row; rows with no member get the prior."""
        check_is_fitted(self)
        X, _, present = self._validate_fusion_data(X, reset=False)
        mp = self._member_presence(present)
        outs = self._member_outputs(X, mp)
        prior = self._prior_output()
        if self.method == "stacking":
            res = self._final_output(self._stack_features(outs, mp))
        else:
            res = self._aggregate(outs, self._row_weights(outs, mp))
        res[~mp.any(axis=1)] = prior
        return res

    def _aggregate(self, outs, w):
        filled = [np.nan_to_num(o) for o in outs]
        return sum(wi.reshape((-1,) + (1,) * (o.ndim - 1)) * o for wi, o in zip(w.T, filled))

    def _needs_residuals(self):
        return False

    @_fit_context(
        # members and final estimators are validated when fitted
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None):
        """Fit each member on its rows, then the combination rule.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features; an all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to every member (and the final estimator) that is fitted.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y, present = self._validate_fusion_data(
            X, y, reset=True, multi_output=not self._is_classifier_fusion
        )
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
        y = self._prepare_targets(y, sample_weight)
        mp, oof = self._fit_members(X, y, present, sample_weight)
        self._fit_combiner(X, y, mp, oof, sample_weight)
        return self


class _DecisionFusionClassifier(ClassifierMixin, _BaseDecisionFusion):
    _is_classifier_fusion = True
    _parameter_constraints: dict = {
        **_BaseDecisionFusion._parameter_constraints,
        "method": [StrOptions({"soft", "hard", "weighted", "variance", "stacking"})],
    }

    def _prepare_targets(self, y, sample_weight):
        check_classification_targets(y)
        self._le = LabelEncoder().fit(y)
        self.classes_ = self._le.classes_
        yi = self._le.transform(y)
        self.class_prior_ = np.bincount(
            yi, weights=sample_weight, minlength=self.classes_.size
        ) / (yi.size if sample_weight is None else sample_weight.sum())
        return yi

    def _check_member_capabilities(self, estimators):
        if self.method == "hard":
            return
        for name, est in zip(self._member_names, estimators):
            if not hasattr(est, "predict_proba"):
                raise TypeError(
                    f"method={self.method!r} combines class probabilities, but the "
                    f"estimator of member {name!r} ({type(est).__name__}) has no "
                    "predict_proba. Use method='hard', a probabilistic estimator, or "
                    "wrap it in sklearn.calibration.CalibratedClassifierCV."
                )

    def _member_output(self, est, X, fit_shape_only=False):
        k = self.classes_.size
        if fit_shape_only:
            return (k,)
        out = np.zeros((X.shape[0], k))
        if self.method == "hard":
            out[np.arange(X.shape[0]), est.predict(X)] = 1.0
        else:
            out[:, est.classes_] = est.predict_proba(X)
        return out

    def _skill(self, y, oof):
        k = self.classes_.size
        chance = 1.0 / k
        score = balanced_accuracy_score(y, oof.argmax(axis=1))
        return max(score - chance, 0.0) / (1 - chance)

    def _predictive_variance(self, outs):
        return np.column_stack([1.0 - np.nansum(o**2, axis=1) for o in outs])

    def _prior_output(self):
        return self.class_prior_

    def _default_final(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=1000)

    def _final_output(self, meta):
        proba = np.zeros((meta.shape[0], self.classes_.size))
        proba[:, self.final_estimator_.classes_] = self.final_estimator_.predict_proba(
            meta
        )
        return proba

    def _scores(self, X):
        return self._combined(X)

    def predict(self, X):
        """Predict the class of each row from the members present in it.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        scores = self._scores(X)
        return self.classes_[scores.argmax(axis=1)]

    @available_if(lambda self: self.method != "hard")
    def predict_proba(self, X):
        """Class probabilities combined over the members present in each row.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return self._scores(X)


class _DecisionFusionRegressor(RegressorMixin, _BaseDecisionFusion):
    _is_classifier_fusion = False
    _parameter_constraints: dict = {
        **_BaseDecisionFusion._parameter_constraints,
        "method": [StrOptions({"average", "median", "weighted", "variance", "stacking"})],
    }

    def _needs_residuals(self):
        return self.method == "variance"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _prepare_targets(self, y, sample_weight):
        y = np.asarray(y, dtype=float)
        self._y_1d = y.ndim == 1
        y2 = y.reshape(y.shape[0], -1)
        self.target_mean_ = np.average(y2, axis=0, weights=sample_weight)
        return y2

    def _check_member_capabilities(self, estimators):
        return None

    def _member_output(self, est, X, fit_shape_only=False):
        if fit_shape_only:
            return (self.target_mean_.size,)
        return np.asarray(est.predict(X), dtype=float).reshape(X.shape[0], -1)

    def _skill(self, y, oof):
        return max(r2_score(y, oof), 0.0)

    def _fit_combiner(self, X, y, mp, oof, sample_weight):
        if self.method == "variance":
            self.residual_variance_ = {
                n: np.mean((y[mp[:, i]] - oof[i]) ** 2, axis=0)
                for i, n in enumerate(self._member_names)
            }
        super()._fit_combiner(X, y, mp, oof, sample_weight)

    def _predictive_variance(self, outs):
        # constant per member: its out-of-fold mean squared error (per output,
        # averaged into one weight per member and row)
        n = outs[0].shape[0]
        return np.column_stack(
            [np.full(n, self.residual_variance_[m].mean()) for m in self._member_names]
        )

    def _aggregate(self, outs, w):
        if self.method != "median":
            return super()._aggregate(outs, w)
        stacked = np.stack([np.nan_to_num(o) for o in outs], axis=1)  # (n, m, t)
        order = np.argsort(stacked, axis=1)
        sorted_vals = np.take_along_axis(stacked, order, axis=1)
        sorted_w = np.take_along_axis(
            np.broadcast_to(w[:, :, None], stacked.shape), order, axis=1
        )
        cum = np.cumsum(sorted_w, axis=1)
        # lower and upper weighted medians; they differ only where the weight
        # below a value is exactly one half (e.g. two equally weighted members),
        # and then the median is their midpoint, as np.median's
        last = stacked.shape[1] - 1
        lo = np.minimum((cum < 0.5 - 1e-12).sum(axis=1, keepdims=True), last)
        hi = np.minimum((cum <= 0.5 + 1e-12).sum(axis=1, keepdims=True), last)
        return 0.5 * (
            np.take_along_axis(sorted_vals, lo, axis=1)
            + np.take_along_axis(sorted_vals, hi, axis=1)
        )[:, 0, :]

    def _prior_output(self):
        return self.target_mean_

    def _default_final(self):
        from sklearn.linear_model import RidgeCV

        return RidgeCV()

    def _final_output(self, meta):
        return np.asarray(self.final_estimator_.predict(meta), dtype=float).reshape(
            meta.shape[0], -1
        )

    def predict(self, X):
        """Predict targets combined over the members present in each row.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        res = self._combined(X)
        return res.ravel() if self._y_1d else res
