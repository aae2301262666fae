"""scikit-learn-style Display objects for MER results (matplotlib, lazily)."""

import numpy as np

from skmer.inspection._robustness import missing_modality_curve
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import check_is_fitted


def _axes(ax):
    plt = import_optional("matplotlib.pyplot", "plot")
    if ax is None:
        _, ax = plt.subplots()
    return ax


class MissingModalityDisplay:
    """Robustness curves: score against the fraction of rows missing a modality.

    Create it with :meth:`from_estimator` (runs
    :func:`~skmer.inspection.missing_modality_curve`) or :meth:`from_curve`.

    Parameters
    ----------
    rates : ndarray of shape (n_rates,)
        Fractions of test rows without the modality.
    mean : ndarray of shape (n_modalities, n_rates)
        Mean score per modality removed and rate.
    std : ndarray of shape (n_modalities, n_rates)
        Standard deviation over folds.
    modalities : list of str
        The removed modality of each curve.
    estimator_name : str, default=None
        Shown in the title.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes of the plot.
    figure_ : matplotlib Figure
        Figure of the plot.
    lines_ : list of matplotlib Line2D
        One line per modality.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import LateFusionClassifier
    >>> from skmer.inspection import MissingModalityDisplay
    >>> X, y = make_multimodal_classification(n_samples=200, random_state=0)
    >>> disp = MissingModalityDisplay.from_estimator(
    ...     LateFusionClassifier(), X, y, rates=[0, 0.5, 1], cv=2, random_state=0)
    >>> len(disp.lines_)
    3
    """

    def __init__(self, rates, mean, std, modalities, *, estimator_name=None):
        self.rates = np.asarray(rates)
        self.mean = np.asarray(mean)
        self.std = np.asarray(std)
        self.modalities = list(modalities)
        self.estimator_name = estimator_name

    @classmethod
    def from_curve(cls, curve, *, estimator_name=None, ax=None):
        """Plot the result of :func:`~skmer.inspection.missing_modality_curve`.

        Parameters
        ----------
        curve : Bunch
            The result of ``missing_modality_curve``.
        estimator_name : str, default=None
            Shown in the title.
        ax : matplotlib Axes, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        display : MissingModalityDisplay
        """
        disp = cls(
            curve.rates,
            curve.mean,
            curve.std,
            curve.modalities,
            estimator_name=estimator_name,
        )
        return disp.plot(ax=ax)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, ax=None, **kwargs):
        """Compute the curves by cross-validation and plot them.

        Parameters
        ----------
        estimator : estimator
            Unfitted fusion estimator or pipeline.
        X : DataFrame or ndarray
            Features (see :func:`~skmer.inspection.missing_modality_curve`).
        y : array-like of shape (n_samples,)
            Targets.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **kwargs : dict
            Passed to :func:`~skmer.inspection.missing_modality_curve`.

        Returns
        -------
        display : MissingModalityDisplay
        """
        curve = missing_modality_curve(estimator, X, y, **kwargs)
        name = type(estimator).__name__
        if hasattr(estimator, "steps"):
            name = type(estimator.steps[-1][1]).__name__
        return cls.from_curve(curve, estimator_name=name, ax=ax)

    def plot(self, ax=None):
        """Draw one line per removed modality, with a band of one std.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        display : MissingModalityDisplay
        """
        ax = _axes(ax)
        self.lines_ = []
        for name, m, s in zip(self.modalities, self.mean, self.std):
            (line,) = ax.plot(self.rates, m, marker="o", label=f"without {name}")
            ax.fill_between(
                self.rates, m - s, m + s, alpha=0.15, color=line.get_color()
            )
            self.lines_.append(line)
        ax.set_xlabel("fraction of test rows missing the modality")
        ax.set_ylabel("score")
        ax.set_title(
            "Missing-modality robustness"
            + (f": {self.estimator_name}" if self.estimator_name else "")
        )
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self


class ModalityWeightsDisplay:
    """Bar chart of a fusion estimator's ``modality_weights_``.

    Parameters
    ----------
    weights : dict of str to float
        Weight of each modality.
    estimator_name : str, default=None
        Shown in the title.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    bars_ : matplotlib BarContainer

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import LateFusionClassifier
    >>> from skmer.inspection import ModalityWeightsDisplay
    >>> X, y = make_multimodal_classification(n_samples=200, random_state=0)
    >>> clf = LateFusionClassifier(method="weighted", random_state=0).fit(X, y)
    >>> len(ModalityWeightsDisplay.from_estimator(clf).bars_)
    3
    """

    def __init__(self, weights, *, estimator_name=None):
        self.weights = dict(weights)
        self.estimator_name = estimator_name

    @classmethod
    def from_estimator(cls, estimator, *, ax=None):
        """Plot the weights of a fitted fusion estimator (or pipeline ending in one).

        Parameters
        ----------
        estimator : fitted estimator
            Has ``modality_weights_`` (or its pipeline's last step has).
        ax : matplotlib Axes, default=None
            Axes to draw on.

        Returns
        -------
        display : ModalityWeightsDisplay
        """
        final = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
        check_is_fitted(final)
        if not hasattr(final, "modality_weights_"):
            raise TypeError(
                f"{type(final).__name__} has no modality_weights_; pass a fitted skmer "
                "fusion estimator."
            )
        return cls(final.modality_weights_, estimator_name=type(final).__name__).plot(
            ax=ax
        )

    def plot(self, ax=None):
        """Draw the bars.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        display : ModalityWeightsDisplay
        """
        ax = _axes(ax)
        names = list(self.weights)
        self.bars_ = ax.bar(names, [self.weights[n] for n in names])
        ax.set_ylabel("modality weight")
        ax.set_ylim(0, 1)
        ax.set_title(
            "Modality weights"
            + (f": {self.estimator_name}" if self.estimator_name else "")
        )
        self.ax_, self.figure_ = ax, ax.figure
        return self


class ValenceArousalDisplay:
    """Predictions on Russell's valence-arousal circumplex.

    Parameters
    ----------
    valence : ndarray of shape (n_samples,)
        Valence of each point, in [-1, 1].
    arousal : ndarray of shape (n_samples,)
        Arousal of each point, in [-1, 1].
    labels : array-like of shape (n_samples,), default=None
        A category per point (colours the points).
    true_valence, true_arousal : ndarray, default=None
        True positions; drawn as hollow markers joined to the predictions.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skmer.inspection import ValenceArousalDisplay
    >>> va = np.array([[0.8, 0.5], [-0.6, 0.7], [-0.5, -0.4]])
    >>> disp = ValenceArousalDisplay.from_predictions(va, labels=["joy", "anger", "sad"])
    >>> disp.ax_.get_xlabel()
    'valence'
    """

    def __init__(
        self, valence, arousal, *, labels=None, true_valence=None, true_arousal=None
    ):
        self.valence = np.asarray(valence, dtype=float)
        self.arousal = np.asarray(arousal, dtype=float)
        self.labels = None if labels is None else np.asarray(labels)
        self.true_valence = true_valence
        self.true_arousal = true_arousal

    @classmethod
    def from_predictions(cls, y_pred, *, y_true=None, labels=None, ax=None):
        """Plot ``(n, 2)`` valence-arousal predictions (first two columns).

        Parameters
        ----------
        y_pred : array-like of shape (n_samples, >= 2)
            Predicted valence and arousal (columns 0 and 1).
        y_true : array-like of shape (n_samples, >= 2), default=None
            True valence and arousal.
        labels : array-like of shape (n_samples,), default=None
            A category per point.
        ax : matplotlib Axes, default=None
            Axes to draw on.

        Returns
        -------
        display : ValenceArousalDisplay
        """
        y_pred = np.asarray(y_pred, dtype=float)
        if y_pred.ndim != 2 or y_pred.shape[1] < 2:
            raise ValueError(
                f"y_pred must have valence and arousal columns; got shape {y_pred.shape}."
            )
        tv = ta = None
        if y_true is not None:
            y_true = np.asarray(y_true, dtype=float)
            if (
                y_true.ndim != 2
                or y_true.shape[0] != y_pred.shape[0]
                or y_true.shape[1] < 2
            ):
                raise ValueError(
                    "y_true must have the rows of y_pred and valence and arousal columns; "
                    f"got shape {y_true.shape} for y_pred of shape {y_pred.shape}."
                )
            tv, ta = y_true[:, 0], y_true[:, 1]
        if labels is not None and len(labels) != y_pred.shape[0]:
            raise ValueError(
                f"labels has {len(labels)} values; y_pred has {y_pred.shape[0]} rows."
            )
        return cls(
            y_pred[:, 0], y_pred[:, 1], labels=labels, true_valence=tv, true_arousal=ta
        ).plot(ax=ax)

    def plot(self, ax=None):
        """Draw the circumplex and the points.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        display : ValenceArousalDisplay
        """
        ax = _axes(ax)
        t = np.linspace(0, 2 * np.pi, 200)
        ax.plot(np.cos(t), np.sin(t), color="0.7", lw=1)
        ax.axhline(0, color="0.7", lw=0.8)
        ax.axvline(0, color="0.7", lw=0.8)
        for x, y, text in [
            (0.7, 0.85, "excited"),
            (-0.95, 0.85, "distressed"),
            (-0.95, -0.9, "depressed"),
            (0.7, -0.9, "relaxed"),
        ]:
            ax.text(x, y, text, color="0.5", fontsize=8)
        if self.true_valence is not None:
            ax.scatter(
                self.true_valence,
                self.true_arousal,
                facecolors="none",
                edgecolors="0.4",
                label="true",
            )
            ax.plot(
                np.vstack([self.true_valence, self.valence]),
                np.vstack([self.true_arousal, self.arousal]),
                color="0.8",
                lw=0.6,
            )
        if self.labels is None:
            ax.scatter(self.valence, self.arousal, label="predicted")
        else:
            for lab in dict.fromkeys(self.labels.tolist()):
                sel = self.labels == lab
                ax.scatter(self.valence[sel], self.arousal[sel], label=str(lab))
        ax.set_xlim(-1.1, 1.1)
        ax.set_ylim(-1.1, 1.1)
        ax.set_aspect("equal")
        ax.set_xlabel("valence")
        ax.set_ylabel("arousal")
        ax.legend(fontsize=8)
        self.ax_, self.figure_ = ax, ax.figure
        return self
