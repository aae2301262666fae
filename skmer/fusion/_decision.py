"""Decision-level fusion: members fitted on their own rows, outputs combined per row.

A *member* is a base estimator that sees some columns of X and is present in some
rows: in late fusion each modality is a member present where that modality is;
hybrid fusion adds an early-fused member present wherever any modality is. Each
member abstains in the rows where it is absent and the remaining members' weights
are renormalised per row. A row where every member abstains gets the training
prior (class frequencies, or the target mean).
"""

from collections import namedtuple
from contextlib import contextmanager
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import ClassifierMixin, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.dummy import DummyClassifier
from sklearn.metrics import balanced_accuracy_score, r2_score
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.multiclass import check_classification_targets

from skmer.fusion._base import (
    BaseFusion,
    RoutedFitMixin,
    _routing_enabled,
    accepts_sample_weight,
    block_importances,
    check_fusion_sample_weight,
    fit_routed,
    index_params,
    inner_cv,
    normalize_weights,
    request_sample_weight,
    routing_splitter,
)
from skmer.utils._sklearn_compat import (
    HasMethods,
    StrOptions,
    _fit_context,
    _set_random_states,
    available_if,
    check_is_fitted,
)

# Added to a member's predictive variance so that a fully confident member gets a
# large but finite per-row weight in ``method="variance"``.
_VARIANCE_FLOOR = 1e-3

#: One member of decision-level fusion: its name, estimator template, the
#: columns of X it sees, and the name of its route in metadata routing.
Member = namedtuple("Member", ["name", "estimator", "columns", "route"])


@contextmanager
def _naming_member(name, n_rows, stage):
    """Re-raise a member's ValueError/TypeError with the member's name, so that
    the failing modality is identified."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        kind = ValueError if isinstance(exc, ValueError) else TypeError
        raise kind(
            f"Fitting the estimator of member {name!r} on its {n_rows} rows (where "
            f"it is present) failed{stage}: {exc}"
        ) from exc


def _fit_one(name, estimator, X, y, params, classifier, stage=""):
    """Fit one member on its own rows. A classifier member whose rows hold one
    class predicts that class with probability 1."""
    if classifier and np.unique(y).size < 2:
        return DummyClassifier(strategy="prior").fit(X, y)
    with _naming_member(name, X.shape[0], stage):
        return fit_routed(estimator, X, y, params)


def _oof_one(name, estimator, X, y, params, groups, cv, output, classifier):
    """Out-of-fold outputs of one member on its own rows."""
    out = np.empty((X.shape[0],) + output(estimator, X[:1], fit_shape_only=True))
    with _naming_member(name, X.shape[0], " during cross-validation (see `cv`)"):
        splits = list(cv.split(X, y, groups))
    for train, test in splits:
        est = _fit_one(
            name,
            clone(estimator),
            X[train],
            y[train],
            index_params(params, train, X.shape[0]),
            classifier,
            " during cross-validation (see `cv`)",
        )
        out[test] = output(est, X[test])
    return out


class _BaseDecisionFusion(RoutedFitMixin, MetaEstimatorMixin, BaseFusion):
    """Members fitted on the rows where they are present, combined per row."""

    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        "estimator": [HasMethods(["fit"]), dict, None],
        "weights": [dict, "array-like", None],
        "final_estimator": [HasMethods(["fit"]), None],
        "cv": ["cv_object"],
        "fallback": [StrOptions({"prior"}), None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }
    _per_modality_params = ("estimator",)

    # -- hooks -------------------------------------------------------------
    def _member_layout(self):
        """``{member name: column indices}``, in member order."""
        raise NotImplementedError

    def _members(self):
        """The members, as :data:`Member` tuples."""
        return [
            Member(
                name,
                self._modality_estimator(name, self._member_default()),
                cols,
                self._member_route(name),
            )
            for name, cols in self._member_layout().items()
        ]

    def _member_presence(self, present):
        """(n_samples, n_members) bool: where each member is present."""
        raise NotImplementedError

    def _modality_weights_from(self, member_weights):
        return normalize_weights(member_weights)

    # -- metadata routing ------------------------------------------------------
    def _member_default(self):
        return request_sample_weight(self._default_estimator())

    def _member_route(self, name):
        est = self.estimator
        return (
            f"estimator__{name}"
            if isinstance(est, dict) and name in est
            else "estimator"
        )

    def _fit_routes(self):
        est = self.estimator
        routes = {}
        if isinstance(est, dict):
            routes["estimator"] = (self._member_default(), "fit")
            routes.update(
                {
                    f"estimator__{n}": (request_sample_weight(e), "fit")
                    for n, e in est.items()
                    if e is not None
                }
            )
        else:
            est = self._member_default() if est is None else request_sample_weight(est)
            routes["estimator"] = (est, "fit")
        routes["final_estimator"] = (self._final_template(), "fit")
        routes["splitter"] = (
            routing_splitter(self.cv, classifier=self._is_classifier_fusion),
            "split",
        )
        return routes

    def _final_template(self):
        final = self.final_estimator
        return request_sample_weight(self._default_final() if final is None else final)

    # -- shared machinery ----------------------------------------------------
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
            raise ValueError(
                f"weights must be finite, non-negative, not all 0; got {w}."
            )
        return dict(zip(names, w.tolist()))

    def _needs_oof(self):
        return (
            self.method == "stacking"
            or (self.method == "weighted" and self.weights is None)
            or self.fallback == "prior"
        )

    def _templates(self, members, rng, routed):
        templates = []
        for m in members:
            est = request_sample_weight(m.estimator)
            _set_random_states(est, rng)
            weighted = "sample_weight" in routed[m.route].fit
            if weighted and not _routing_enabled() and not accepts_sample_weight(est):
                raise TypeError(
                    f"The estimator of member {m.name!r} ({type(est).__name__}) does "
                    "not accept sample_weight."
                )
            templates.append(est)
        self._check_member_capabilities([m.name for m in members], templates)
        return templates

    def _fit_members(self, X, y, present, routed, seed, rng):
        members = self._members()
        mp = self._member_presence(present)
        templates = self._templates(members, rng, routed)
        groups = routed.splitter.split.get("groups")
        if groups is not None:
            groups = np.asarray(groups)
            if groups.shape != (X.shape[0],):
                raise ValueError(
                    f"groups has shape {groups.shape}; expected one group label per "
                    f"row of X ({X.shape[0]},)."
                )
        classifier = self._is_classifier_fusion

        def sub(i):
            r = np.flatnonzero(mp[:, i])
            params = index_params(routed[members[i].route].fit, r, X.shape[0])
            return X[np.ix_(r, members[i].columns)], y[r], params

        parallel = Parallel(n_jobs=self.n_jobs)
        self.estimators_ = parallel(
            delayed(_fit_one)(m.name, clone(t), *sub(i), classifier)
            for i, (m, t) in enumerate(zip(members, templates))
        )
        self.named_estimators_ = Bunch(
            **{m.name: est for m, est in zip(members, self.estimators_)}
        )
        if not (self._needs_oof() or self._needs_residuals()):
            return mp, None

        def member_cv(i):
            g = None if groups is None else groups[mp[:, i]]
            cv = inner_cv(
                self.cv, y[mp[:, i]], g, classifier=classifier, random_state=seed
            )
            return g, cv

        oof = parallel(
            delayed(_oof_one)(
                m.name, t, *sub(i), *member_cv(i), self._member_output, classifier
            )
            for i, (m, t) in enumerate(zip(members, templates))
        )
        return mp, oof

    def _member_names(self):
        return list(self.named_estimators_)

    def _member_outputs(self, X, mp):
        """Each member's output on its present rows (NaN where absent)."""
        outs = []
        columns = list(self._member_layout().values())
        for i, est in enumerate(self.estimators_):
            r = np.flatnonzero(mp[:, i])
            shape = self._member_output(est, X[:1], fit_shape_only=True)
            o = np.full((X.shape[0],) + shape, np.nan)
            if r.size:
                o[r] = self._member_output(est, X[np.ix_(r, columns[i])])
            outs.append(o)
        return outs

    def _stack_features(self, outs, mp):
        """Meta features: centred member outputs (0 where absent) + presence."""
        cols = []
        for o, p in zip(outs, mp.T):
            centred = o.reshape(o.shape[0], -1) - np.ravel(self._prior_output())
            centred[~p] = 0.0
            cols.append(centred)
        return np.hstack([*cols, mp.astype(float)])

    def _fit_combiner(self, X, y, mp, oof, routed, seed):
        names = self._member_names()
        static = self._resolve_static_weights(names)
        skills = None
        if oof is not None:
            skills = {n: self._skill(y[mp[:, i]], oof[i]) for i, n in enumerate(names)}
        if self.method == "weighted" and self.weights is None:
            static = skills
        self.weights_ = normalize_weights(static)
        if self.fallback == "prior":
            self.member_reliability_ = skills
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
            final = self._final_template()
            _set_random_states(final, seed)
            self.final_estimator_ = fit_routed(
                final, meta, y, routed.final_estimator.fit
            )
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
        w = np.tile([self.weights_[n] for n in self._member_names()], (mp.shape[0], 1))
        if self.method == "variance":
            w = w / (self._predictive_variance(outs) + _VARIANCE_FLOOR)
        w = np.where(mp, w, 0.0)
        total = w.sum(axis=1, keepdims=True)
        return np.divide(w, total, out=np.zeros_like(w), where=total > 0)

    def _combined(self, X):
        """Combined output per row; rows with no member get the prior, and with
        ``fallback="prior"`` every row is drawn towards the prior as far as its
        most reliable present member is unreliable."""
        check_is_fitted(self)
        X, _, present = self._validate_fusion_data(X, reset=False)
        mp = self._member_presence(present)
        outs = self._member_outputs(X, mp)
        prior = self._prior_output()
        if self.method == "stacking":
            res = self._final_output(self._stack_features(outs, mp))
        else:
            res = self._aggregate(outs, self._row_weights(outs, mp))
        if self.fallback == "prior":
            r = np.array([self.member_reliability_[n] for n in self._member_names()])
            alpha = np.where(mp, r, 0.0).max(axis=1)[:, None]
            res = alpha * res + (1.0 - alpha) * np.ravel(prior)
        res[~mp.any(axis=1)] = prior
        return res

    def _aggregate(self, outs, w):
        filled = [np.nan_to_num(o) for o in outs]
        return sum(
            wi.reshape((-1,) + (1,) * (o.ndim - 1)) * o for wi, o in zip(w.T, filled)
        )

    def _needs_residuals(self):
        return False

    @_fit_context(
        # members and final estimators are validated when fitted
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit each member on its rows, then the combination rule.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features; an all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights, passed to every member (and the final
            estimator) that is fitted; under metadata routing, to those that
            request it.
        **fit_params : dict
            ``groups`` (array-like of shape (n_samples,)): group labels, e.g.
            speakers, for the inner cross-validation of ``"weighted"``,
            ``"stacking"``, ``"variance"`` and ``fallback="prior"``; with an
            integer ``cv`` the folds are then grouped. Under
            ``sklearn.set_config(enable_metadata_routing=True)``, any metadata
            the members, final estimator or ``cv`` request.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y, present = self._validate_fusion_data(
            X, y, reset=True, multi_output=not self._is_classifier_fusion
        )
        sample_weight = check_fusion_sample_weight(sample_weight, X)
        routed = self._route_fit(sample_weight, fit_params)
        y = self._prepare_targets(y, sample_weight)
        rng = check_random_state(self.random_state)
        seed = rng.randint(np.iinfo(np.int32).max)
        mp, oof = self._fit_members(X, y, present, routed, seed, rng)
        self._fit_combiner(X, y, mp, oof, routed, seed)
        return self


class _DecisionFusionClassifier(ClassifierMixin, _BaseDecisionFusion):
    _is_classifier_fusion = True
    _parameter_constraints: dict = {
        **_BaseDecisionFusion._parameter_constraints,
        "method": [StrOptions({"soft", "hard", "weighted", "variance", "stacking"})],
    }

    def _prepare_targets(self, y, sample_weight):
        check_classification_targets(y)
        self.classes_, yi = np.unique(y, return_inverse=True)
        self.class_prior_ = np.bincount(
            yi, weights=sample_weight, minlength=self.classes_.size
        ) / (yi.size if sample_weight is None else sample_weight.sum())
        return yi

    def _check_member_capabilities(self, names, estimators):
        if self.method == "hard":
            return
        for name, est in zip(names, estimators):
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
        pred = oof.argmax(axis=1)
        # a member whose rows hold one class: its accuracy (balanced accuracy
        # is undefined with one class)
        one = np.unique(y).size < 2
        score = np.mean(pred == y) if one else balanced_accuracy_score(y, pred)
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
        "method": [
            StrOptions({"average", "median", "weighted", "variance", "stacking"})
        ],
    }

    def _needs_residuals(self):
        return self.method == "variance"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _prepare_targets(self, y, sample_weight):
        y = np.asarray(y, dtype=float)
        y2 = y.reshape(y.shape[0], -1)
        mean = np.average(y2, axis=0, weights=sample_weight)
        # a float for a 1-D target: predictions are then 1-D too
        self.target_mean_ = mean[0] if y.ndim == 1 else mean
        return y2

    def _check_member_capabilities(self, names, estimators):
        return None

    def _member_output(self, est, X, fit_shape_only=False):
        if fit_shape_only:
            return (np.size(self.target_mean_),)
        return np.asarray(est.predict(X), dtype=float).reshape(X.shape[0], -1)

    def _skill(self, y, oof):
        return max(r2_score(y, oof), 0.0)

    def _fit_combiner(self, X, y, mp, oof, routed, seed):
        if self.method == "variance":
            self.residual_variance_ = {
                n: np.mean((y[mp[:, i]] - oof[i]) ** 2, axis=0)
                for i, n in enumerate(self.named_estimators_)
            }
        super()._fit_combiner(X, y, mp, oof, routed, seed)

    def _predictive_variance(self, outs):
        # constant per member: its out-of-fold mean squared error (per output,
        # averaged into one weight per member and row)
        n = outs[0].shape[0]
        return np.column_stack(
            [
                np.full(n, self.residual_variance_[m].mean())
                for m in self.named_estimators_
            ]
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
        return (
            0.5
            * (
                np.take_along_axis(sorted_vals, lo, axis=1)
                + np.take_along_axis(sorted_vals, hi, axis=1)
            )[:, 0, :]
        )

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
        return res.ravel() if np.ndim(self.target_mean_) == 0 else res
