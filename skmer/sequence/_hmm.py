"""Tri-modal HMM (THMM): one multi-stream Gaussian HMM per class, scored by likelihood."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets

from skmer.fusion._base import normalize_weights
from skmer.sequence._base import RawInputMixin
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import Interval, _fit_context, check_is_fitted


def _hmm_class():
    """:class:`DiagonalGaussianHMM`, or an ImportError naming the ``hmm`` extra."""
    import_optional("hmmlearn.hmm", "hmm")
    from skmer.sequence._diagonal_hmm import DiagonalGaussianHMM

    return DiagonalGaussianHMM


def _check_em(history, tol, n_iter, label):
    """Warn when Baum-Welch stepped back by more than ``tol`` or ran out of steps."""
    gains = np.diff(np.asarray(history, dtype=float))
    if gains.size and gains.min() < -tol:
        k = int(gains.argmin())
        warnings.warn(
            f"Baum-Welch for class {label!r}: the log-likelihood fell by "
            f"{-gains[k]:.3g} at iteration {k + 2}, more than the tolerance "
            f"{tol:.3g}. hmmlearn estimates the variances under a prior, so EM "
            "need not increase the likelihood; states that hold few frames make "
            "this larger: lower n_states.",
            ConvergenceWarning,
            stacklevel=3,
        )
    elif len(history) >= n_iter and (not gains.size or gains[-1] >= tol):
        warnings.warn(
            f"Baum-Welch for class {label!r} did not converge in n_iter={n_iter} "
            f"iterations (last gain {gains[-1] if gains.size else np.nan:.3g}, "
            f"tolerance {tol:.3g}). Raise n_iter.",
            ConvergenceWarning,
            stacklevel=3,
        )


class TriModalHMMClassifier(ClassifierMixin, RawInputMixin, BaseEstimator):
    """Tri-modal HMM classifier: one multi-stream Gaussian HMM per class.

    The THMM of Morency et al. (ICMI 2011): the word-aligned ``(T, d)`` sequences
    of every modality column are read as the streams of one hidden Markov model
    with diagonal-covariance Gaussian emissions, so a state's emission
    likelihood is the product of the streams' likelihoods. One HMM is trained
    per class with hmmlearn's Baum-Welch; a sequence gets the class whose HMM
    (times the class prior) explains it best. A modality missing at prediction
    time (``None`` cell) is marginalised out: its stream is dropped from the
    emission model. Training rows need every modality (a stream's emissions
    cannot be estimated from an absent stream); rows missing one are not used
    for training and counted in ``n_incomplete_training_rows_``.

    Features are standardised per modality over the training frames, and
    Baum-Welch stops at a tolerance relative to the data (``1e-5`` per frame
    and feature). hmmlearn's M-step estimates the variances under a prior (a
    MAP estimate), so near the optimum the likelihood may step back by less
    than that tolerance, which ends EM as converged (hmmlearn's "not
    converging" log line is not emitted); a larger step back, or EM cut off by
    ``n_iter``, gets a :class:`~sklearn.exceptions.ConvergenceWarning` naming
    the class. The
    streams of a row must have the same length ``T`` (aligned steps): remove
    padding steps jointly across modalities before.

    Parameters
    ----------
    columns : list of str, default=None
        The input columns of X (cells: ``(T, d)`` sequences, None where
        missing); None uses every column, and a column of scalars or strings
        (an id) is then an error asking to name ``columns``.
    n_states : int, default=3
        Hidden states of each class's HMM.
    n_iter : int, default=100
        Most Baum-Welch iterations; EM stops earlier once an iteration gains
        less than the tolerance. A class's EM cut off by ``n_iter`` gets a
        :class:`~sklearn.exceptions.ConvergenceWarning`.
    min_covar : float, default=1e-2
        Added to every state's initial variances (those of all the class's
        standardised frames). During EM the variances are regularised by
        hmmlearn's covariance prior, not floored.
    use_prior : bool, default=True
        Add the log class prior to the log-likelihoods.
    random_state : int, RandomState instance or None, default=None
        Seeds the HMMs' initialisation.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    hmms_ : list of hmmlearn.hmm.GaussianHMM
        One fitted diagonal-covariance HMM per class, over the concatenated
        standardised streams, with the (n_states, n_features) variances in
        ``diagonal_covars_`` (fit and prediction are linear in the number of
        features; pickle and ``skops.io`` store the parameters as plain arrays).
    class_log_prior_ : ndarray of shape (n_classes,)
        Log class frequencies.
    modalities_ : dict of str to ndarray
        The modality columns, each with its per-step feature indices.
    modality_weights_ : dict of str to float
        Mean per-step log-likelihood margin of the true class's HMM over the
        other classes' on the training rows, per stream, clipped at 0 and
        normalised.
    n_incomplete_training_rows_ : int
        Training rows left out because a modality was missing.
    feature_mean_, feature_scale_ : dict of str to ndarray
        Per-modality standardisation.
    n_features_in_ : int
        Columns of X seen in fit.
    feature_names_in_ : ndarray of str
        Their names.

    See Also
    --------
    MultiViewLSTMClassifier : a discriminative recurrent model of the same input.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmer.sequence import TriModalHMMClassifier
    >>> rng = np.random.RandomState(0)
    >>> up = [np.linspace(-1, 1, 12)[:, None] + 0.1 * rng.randn(12, 1) for _ in range(20)]
    >>> down = [a[::-1] for a in up]
    >>> X = pd.DataFrame({"audio": up + down, "video": down + up})
    >>> y = np.array([0] * 20 + [1] * 20)
    >>> clf = TriModalHMMClassifier(n_states=2, random_state=0).fit(X, y)
    >>> clf.score(X, y)
    1.0
    """

    _parameter_constraints: dict = {
        "columns": [list, None],
        "n_states": [Interval(Integral, 1, None, closed="left")],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "min_covar": [Interval(Real, 0, None, closed="neither")],
        "use_prior": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        columns=None,
        n_states=3,
        n_iter=100,
        min_covar=1e-2,
        use_prior=True,
        random_state=None,
    ):
        self.columns = columns
        self.n_states = n_states
        self.n_iter = n_iter
        self.min_covar = min_covar
        self.use_prior = use_prior
        self.random_state = random_state

    def _frames(self, data):
        """Standardised, concatenated streams per row, and the present streams."""
        names = list(self.modalities_)
        rows = []
        for i in range(len(data)):
            parts, dims = [], []
            for name in names:
                a = data.cells[name][i]
                if a is None:
                    continue
                parts.append((a - self.feature_mean_[name]) / self.feature_scale_[name])
                dims.append(self._stream_columns_[name])
            if not parts:
                rows.append((None, None))
                continue
            lengths = {len(p) for p in parts}
            if len(lengths) > 1:
                raise ValueError(
                    f"Row {i}: the modalities have different numbers of steps "
                    f"{sorted(lengths)}; the streams of a tri-modal HMM must be aligned."
                )
            rows.append((np.hstack(parts), np.concatenate(dims)))
        return rows

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit one multi-stream HMM per class.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            One column per modality; cells ``(T, d)`` sequences or None.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        hmm = _hmm_class()
        data, y, present = self._validate_fusion_data(X, y, reset=True)
        check_classification_targets(y)
        enc = LabelEncoder().fit(y)
        self.classes_ = enc.classes_
        yi = enc.transform(y)
        self._fit_scaling(data)
        offsets = np.cumsum([0] + [len(c) for c in self.modalities_.values()])
        self._stream_columns_ = {
            name: np.arange(offsets[j], offsets[j + 1])
            for j, name in enumerate(self.modalities_)
        }
        rows = self._frames(data)
        complete = present.all(axis=1)
        self.n_incomplete_training_rows_ = int((~complete).sum())
        rng = check_random_state(self.random_state)
        self.hmms_ = []
        for k, label in enumerate(self.classes_.tolist()):
            idx = np.flatnonzero((yi == k) & complete)
            if idx.size == 0:
                raise ValueError(
                    f"Class {label!r} has no training row with every modality present; "
                    "a tri-modal HMM needs complete rows for each class."
                )
            seqs = [rows[i][0] for i in idx]
            n_frames = sum(len(q) for q in seqs)
            if n_frames < self.n_states:
                raise ValueError(
                    f"Class {label!r} has {n_frames} frames in its complete training "
                    f"rows, fewer than n_states={self.n_states}; lower n_states or "
                    "give more rows of that class."
                )
            self.hmms_.append(self._fit_class_hmm(hmm, seqs, rng, label))
        counts = np.bincount(yi, minlength=len(self.classes_))
        self.class_log_prior_ = np.log(counts / counts.sum())
        self.modality_weights_ = self._stream_margins(data, yi)
        return self

    def _fit_class_hmm(self, hmm, seqs, rng, label):
        """Baum-Welch on one class's standardised sequences.

        The tolerance is relative to the data (``1e-5`` per frame and feature);
        the monitor records the log-likelihoods without hmmlearn's log line and
        :func:`_check_em` warns about a real failure only. With
        single-step sequences (utterance vectors) there is no transition to
        learn: the transition matrix stays uniform.
        """
        frames = np.vstack(seqs)
        lengths = [len(s) for s in seqs]
        learn = "stmc" if max(lengths) > 1 else "smc"
        model = hmm(
            n_components=self.n_states,
            covariance_type="diag",
            n_iter=self.n_iter,
            tol=1e-5 * frames.size,
            min_covar=self.min_covar,
            params=learn,
            # the variances are initialised here: hmmlearn would build the full
            # d x d covariance (and identity) to keep its diagonal, O(d**2) (see
            # DiagonalGaussianHMM)
            init_params=learn.replace("c", ""),
            random_state=rng.randint(np.iinfo(np.int32).max),
        )
        # hmmlearn's initial variances: those of all frames (ddof=1), floored
        variances = frames.var(axis=0, ddof=1) + self.min_covar
        model.covars_ = np.tile(variances, (self.n_states, 1))
        uniform = np.full((self.n_states, self.n_states), 1.0 / self.n_states)
        if "t" not in learn:
            model.transmat_ = uniform
        from skmer.sequence._diagonal_hmm import RecordingMonitor

        model.monitor_ = RecordingMonitor(model.tol, model.n_iter, verbose=False)
        model.fit(frames, lengths)
        _check_em(model.monitor_.history, model.tol, self.n_iter, label)
        # a state Baum-Welch never reached keeps an all-zero transition row
        trans = model.transmat_.copy()
        unused = trans.sum(axis=1) <= 0
        trans[unused] = uniform[unused]
        model.transmat_ = trans
        return model

    def __getstate__(self):
        """The state with each class's HMM as plain arrays (pickle and skops.io)."""
        state = dict(super().__getstate__())
        if "hmms_" in state:
            state["hmms_"] = [
                {
                    "startprob": m.startprob_,
                    "transmat": m.transmat_,
                    "means": m.means_,
                    "covars": m.diagonal_covars_.copy(),
                }
                for m in state["hmms_"]
            ]
        return state

    def __setstate__(self, state):
        state = dict(state)
        hmms = state.pop("hmms_", None)
        super().__setstate__(state)
        if hmms is not None:
            self.hmms_ = [
                self._hmm_from(h["startprob"], h["transmat"], h["means"], h["covars"])
                for h in hmms
            ]

    def _hmm_from(self, startprob, transmat, means, covars):
        """A diagonal Gaussian HMM with the given parameters."""
        model = _hmm_class()(
            n_components=len(startprob),
            covariance_type="diag",
            min_covar=self.min_covar,
        )
        model.startprob_ = startprob
        model.transmat_ = transmat
        model.means_ = means
        model.covars_ = covars
        model.n_features = means.shape[1]
        return model

    def _sub_hmm(self, model, cols):
        """The HMM restricted to the emission columns ``cols`` (marginalisation)."""
        if len(cols) == model.means_.shape[1]:
            return model
        covars = model.diagonal_covars_[:, cols]
        return self._hmm_from(
            model.startprob_, model.transmat_, model.means_[:, cols], covars
        )

    def _log_likelihoods(self, rows):
        out = np.empty((len(rows), len(self.hmms_)))
        for i, (frames, cols) in enumerate(rows):
            if frames is None:
                out[i] = 0.0  # no modality at all: the prior decides
                continue
            for k, model in enumerate(self.hmms_):
                out[i, k] = self._sub_hmm(model, cols).score(frames)
        return out

    def _stream_margins(self, data, yi):
        margins = {}
        for name, cols in self._stream_columns_.items():
            rows = [
                (None, None)
                if data.cells[name][i] is None
                else (
                    (data.cells[name][i] - self.feature_mean_[name])
                    / self.feature_scale_[name],
                    cols,
                )
                for i in range(len(data))
            ]
            ll = self._log_likelihoods(rows)
            used = [i for i, r in enumerate(rows) if r[0] is not None]
            steps = np.array([len(rows[i][0]) for i in used], dtype=float)
            true = ll[used, yi[used]]
            other = np.where(
                np.eye(len(self.classes_), dtype=bool)[yi[used]], -np.inf, ll[used]
            ).max(axis=1)
            margins[name] = max(float(np.mean((true - other) / steps)), 0.0)
        return normalize_weights(margins)

    def _scores(self, X):
        """(n_samples, n_classes) log-likelihoods (plus the log prior)."""
        check_is_fitted(self, "hmms_")
        data, _, _ = self._validate_fusion_data(X, reset=False)
        scores = self._log_likelihoods(self._frames(data))
        return scores + self.class_log_prior_ if self.use_prior else scores

    def decision_function(self, X):
        """Log-likelihood of each class's HMM (plus the log prior).

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, the score of the second class minus that of the
            first (scikit-learn's binary convention, e.g. for
            ``scoring="roc_auc"``).
        """
        scores = self._scores(X)
        return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores

    def predict_proba(self, X):
        """Posterior class probabilities from the HMM likelihoods.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        s = self._scores(X)
        p = np.exp(s - s.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Class whose HMM explains each row best.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        scores = self._scores(X)
        return self.classes_[np.argmax(scores, axis=1)]
