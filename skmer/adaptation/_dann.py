"""Adversarial multimodal domain adaptation (DANN) through skorch."""

from numbers import Integral, Real

import numpy as np
from scipy.special import softmax
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import column_or_1d
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets

from skmer.adaptation._domain import check_sample_domain, source_rows
from skmer.fusion._base import BaseFusion, normalize_weights
from skmer.utils._docstring import fill_doc
from skmer.utils._neural import (
    NET_DOCS,
    NET_PARAMETER_CONSTRAINTS,
    NeuralNetMixin,
    check_fit_metadata,
)
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
)


@fill_doc(**NET_DOCS)
class DANNClassifier(NeuralNetMixin, ClassifierMixin, BaseFusion):
    """Domain-adversarial neural network over modality blocks (DANN).

    One small encoder per modality maps its block to an embedding; the
    embeddings of the modalities present in a row are averaged (absent ones
    are masked out) into the fused representation, which feeds the emotion
    classifier and, through a gradient reversal layer, a domain discriminator
    (Ganin et al., 2016). Training minimises the classification loss on the
    labelled source rows while the encoders learn to fool the discriminator,
    so source and target rows get indistinguishable fused representations.
    The network is a torch module trained by a skorch ``NeuralNet``
    (``net_``); torch is imported only when fitting.

    Domains are skada's ``sample_domain`` metadata (positive source, negative
    target); with metadata routing, request it with
    ``set_fit_request(sample_domain=True)``. Without target rows it is a plain
    multimodal network.

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality.
    hidden_size : int, default=32
        Hidden units of each modality encoder and of the discriminator.
    embedding_size : int, default=16
        Size of the fused representation.
    domain_weight : float, default=1.0
        Weight of the reversed discriminator gradient (DANN's lambda); 0 turns
        the adaptation off.
    class_weight : "balanced", dict or None, default=None
        Weights of the classes in the classification loss.
    max_epochs : int, default=50
        Training epochs.
    batch_size : int, default=64
        Mini-batch size (batches mix source and target rows).
    lr : float, default=0.01
        Learning rate.
    %(net_optimizer)s
    criterion : torch.nn.Module class or None, default=None
        None trains with the DANN loss (cross-entropy on the labelled source
        rows plus the discriminator's binary cross-entropy); a class is built
        with ``criterion_params`` and called on the module's ``(class logits,
        domain logit)`` and the ``(label, domain)`` target columns (label -1
        on target rows, domain 1 on source rows). The module
        (:class:`skmer.adaptation._dann_torch.MultimodalDANN`) takes e.g.
        ``module__dropout``.
    %(net_callbacks)s
    device : str, default="cpu"
        torch device.
    verbose : int, default=0
        skorch's verbosity.
    random_state : int, RandomState instance or None, default=None
        Seeds torch's initialisation and batch order.

    Attributes
    ----------
    net_ : skorch.NeuralNet
        The trained network (pickle and ``skops.io`` store it as plain arrays).
    classes_ : ndarray of shape (n_classes,)
        Class labels (of the source rows).
    class_weights_ : ndarray of shape (n_classes,) or None
        Weights of the classes in the loss, from ``class_weight``.
    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Per-column standardisation, over the rows where the modality is present.
    modality_weights_ : dict of str to float
        Mean norm of each modality's embedding over the rows where it is
        present, normalised.
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    DomainAdaptationClassifier : discrepancy-based adaptation (CORAL, MMD).

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import DANNClassifier
    >>> from skmer.datasets import make_multimodal_classification
    >>> X, y = make_multimodal_classification(
    ...     n_samples=200, class_sep=0.6, missing_rate=0.2, random_state=0)
    >>> domain = np.where(np.arange(200) < 100, 1, -1)
    >>> clf = DANNClassifier(max_epochs=10, random_state=0)
    >>> clf = clf.fit(X, np.where(domain > 0, y, -1), sample_domain=domain)
    >>> clf.predict_proba(X[100:]).shape
    (100, 2)
    """

    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        **NET_PARAMETER_CONSTRAINTS,
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "embedding_size": [Interval(Integral, 1, None, closed="left")],
        "domain_weight": [Interval(Real, 0, None, closed="left")],
        "class_weight": [StrOptions({"balanced"}), dict, None],
    }

    # a criterion given by the user sees both outputs (class and domain)
    _criterion_main_output = False

    def __init__(
        self,
        *,
        modalities=None,
        hidden_size=32,
        embedding_size=16,
        domain_weight=1.0,
        class_weight=None,
        max_epochs=50,
        batch_size=64,
        lr=0.01,
        optimizer="adam",
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        device="cpu",
        verbose=0,
        random_state=None,
    ):
        self.modalities = modalities
        self.hidden_size = hidden_size
        self.embedding_size = embedding_size
        self.domain_weight = domain_weight
        self.class_weight = class_weight
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.device = device
        self.verbose = verbose
        self.random_state = random_state

    def _inputs(self, X, present, *, fit=False):
        if fit:
            mean = np.zeros(X.shape[1])
            scale = np.ones(X.shape[1])
            for j, cols in enumerate(self.modalities_.values()):
                rows = present[:, j]
                mean[cols] = X[np.ix_(rows, cols)].mean(axis=0)
                s = X[np.ix_(rows, cols)].std(axis=0)
                scale[cols] = np.where(s > 0, s, 1.0)
            self.feature_mean_, self.feature_scale_ = mean, scale
        Z = np.nan_to_num((X - self.feature_mean_) / self.feature_scale_)
        order = np.concatenate(list(self.modalities_.values()))
        return {"X": np.hstack([Z[:, order], present.astype(float)]).astype(np.float32)}

    def _build_module(self, **module_params):
        from skmer.adaptation._dann_torch import MultimodalDANN

        sizes = [cols.size for cols in self.modalities_.values()]
        starts = np.cumsum([0, *sizes[:-1]])
        params = {
            "hidden_size": self.hidden_size,
            "embedding_size": self.embedding_size,
            "domain_weight": float(self.domain_weight),
            **module_params,
        }
        return MultimodalDANN(
            [list(range(s, s + d)) for s, d in zip(starts, sizes)],
            self.classes_.size,
            **params,
        )

    def _default_criterion(self):
        from skmer.adaptation._dann_torch import DANNLoss

        return DANNLoss, {"class_weight": self.class_weights_}

    def _net_callbacks(self):
        from skmer.adaptation._dann_torch import DomainWeightSchedule

        return [("domain_weight", DomainWeightSchedule(float(self.domain_weight)))]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_domain=None, *, sample_weight=None):
        """Train the network on labelled source and unlabelled target rows.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features of source and target rows; an all-NaN block marks
            a missing modality.
        y : array-like of shape (n_samples,)
            Labels of the source rows (target rows' values are ignored).
        sample_domain : array-like of shape (n_samples,), default=None
            Positive for source rows, negative for target rows; None: all source.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each row in the losses (weighted means of
            the classification loss over the labelled rows and of the domain
            loss; with ``class_weight`` the two multiply). Under metadata
            routing, request it with ``set_fit_request(sample_weight=True)``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        import_optional("torch", "nn")
        import_optional("skorch", "nn")
        X, _, present = self._validate_fusion_data(X, reset=True)
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None.")
        y = column_or_1d(y, warn=True)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y has {y.shape[0]} rows but X has {X.shape[0]}.")
        sd = check_sample_domain(sample_domain, X.shape[0])
        sample_weight, _ = check_fit_metadata(X.shape[0], sample_weight)
        src = source_rows(y, sd)
        check_classification_targets(y[src])
        le = LabelEncoder().fit(y[src])
        self.classes_ = le.classes_
        if self.classes_.size < 2:
            raise ValueError(
                f"The source rows hold one class ({self.classes_[0]!r}); at least two "
                "classes are needed."
            )
        labels = np.full(X.shape[0], -1, dtype=np.int64)
        labels[src] = le.transform(y[src])
        self.class_weights_ = None
        if self.class_weight is not None:
            self.class_weights_ = compute_class_weight(
                self.class_weight, classes=np.arange(self.classes_.size), y=labels[src]
            ).astype(np.float32)
        target = np.column_stack([labels, (sd > 0).astype(np.int64)])
        inputs = self._inputs(X, present, fit=True)
        self._train_net(inputs, target, sample_weight=sample_weight)
        self.modality_weights_ = self._embedding_norms(inputs["X"], present)
        return self

    def _embedding_norms(self, inputs, present):
        torch = import_optional("torch", "nn")
        module = self.net_.module_
        module.eval()
        norms = {}
        with torch.no_grad():
            X = torch.as_tensor(inputs, device=self.device)
            for j, (name, enc, cols) in enumerate(
                zip(self.modalities_, module.encoders, module.blocks)
            ):
                rows = present[:, j]
                e = (
                    enc(X[rows][:, cols]).norm(dim=1).mean().item()
                    if rows.any()
                    else 0.0
                )
                norms[name] = e
        return normalize_weights(norms)

    def _logits(self, X):
        check_is_fitted(self)
        X, _, present = self._validate_fusion_data(X, reset=False)
        out = self.net_.forward(self._inputs(X, present), training=False)
        return out[0].detach().cpu().numpy().astype(np.float64)

    def decision_function(self, X):
        """Class scores (logits) of the fused representation.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, the logit of ``classes_[1]`` against ``classes_[0]``.
        """
        logits = self._logits(X)
        if logits.shape[1] == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return softmax(self._logits(X), axis=1)

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        logits = self._logits(X)
        return self.classes_[logits.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags
