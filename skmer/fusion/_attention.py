"""Attention fusion estimators: modality-level attention, gated unit, concatenation."""

from skmer.fusion._neural_base import (
    NEURAL_DOCS,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
)
from skmer.fusion._tensor import _MultimodalNet
from skmer.utils._docstring import fill_doc
from skmer.utils._sklearn_compat import StrOptions


class _AttentionFusion(_MultimodalNet):
    _parameter_constraints: dict = {
        **_MultimodalNet._parameter_constraints,
        "fusion": [StrOptions({"attention", "gated", "concat"})],
    }

    def _fusion_kind(self):
        return self.fusion


@fill_doc(**NEURAL_DOCS)
class AttentionFusionClassifier(NeuralClassifierMixin, _AttentionFusion):
    """Attention fusion classifier: learned, input-dependent modality weights.

    Each modality's encoded block goes through its own MLP to an embedding,
    projected to a common size ``fusion_size``; the fused vector is a weighted
    sum of the projections whose weights depend on the row:

    - ``fusion="attention"``: modality-level attention, scores
      ``v^T tanh(U p_m)`` softmaxed over the modalities present in the row;
    - ``fusion="gated"``: a gated multimodal unit (GMU, Arevalo et al. 2017),
      gates computed jointly from all modalities;
    - ``fusion="concat"``: plain concatenation of the embeddings and the
      presence mask (a baseline without weights).

    **Missing modalities** are masked out of the softmax (weight 0; the others
    renormalise); ``modality_dropout`` trains the net for them. Built on
    skorch: the trained net is ``net_``.

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    %(layout_params)s
    fusion : {"attention", "gated", "concat"}, default="attention"
        The fusion layer.
    fusion_size : int, default=32
        Common projection size, the size of the fused vector.
    %(net_params)s
    %(clf_loss_params)s
    %(train_params)s
    %(net_optimizer)s
    %(criterion_doc)s
    %(net_callbacks)s
    %(fit_options)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    modality_weights_ : dict of str to float
        Average attention (gate) weight of each modality over the training
        rows; for ``"concat"`` the average factor contribution (mean absolute
        change of the logits when the modality is removed). Sums to 1.
    %(fitted_attrs)s

    See Also
    --------
    TensorFusionClassifier : multiplicative cross-modal interactions.
    LateFusionClassifier : decision-level fusion.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import AttentionFusionClassifier
    >>> X, y = make_multimodal_classification(
    ...     n_samples=200, missing_rate=0.2, random_state=0)
    >>> clf = AttentionFusionClassifier(max_epochs=20, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.8
    True
    >>> round(sum(clf.modality_weights_.values()), 6)
    1.0
    """

    _parameter_constraints: dict = {
        **_AttentionFusion._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
    }

    def __init__(
        self,
        *,
        modalities=None,
        remainder="error",
        fusion="attention",
        fusion_size=32,
        hidden_sizes=(32,),
        head_hidden_sizes=(64,),
        dropout=0.1,
        modality_dropout=0.0,
        loss="cross_entropy",
        metric_loss=None,
        metric_weight=0.1,
        class_weight=None,
        class_polarity=None,
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=64,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        device="cpu",
        verbose=0,
        warm_start=False,
        random_state=None,
    ):
        self.modalities = modalities
        self.remainder = remainder
        self.fusion = fusion
        self.fusion_size = fusion_size
        self.hidden_sizes = hidden_sizes
        self.head_hidden_sizes = head_hidden_sizes
        self.dropout = dropout
        self.modality_dropout = modality_dropout
        self.loss = loss
        self.metric_loss = metric_loss
        self.metric_weight = metric_weight
        self.class_weight = class_weight
        self.class_polarity = class_polarity
        self.polarity_weight = polarity_weight
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.device = device
        self.verbose = verbose
        self.warm_start = warm_start
        self.random_state = random_state


@fill_doc(**NEURAL_DOCS)
class AttentionFusionRegressor(NeuralRegressorMixin, _AttentionFusion):
    """Attention fusion regressor: learned, input-dependent modality weights.

    The regression counterpart of :class:`AttentionFusionClassifier`
    (attention, gated or concatenation fusion; a regression head), with
    multi-output targets such as valence, arousal and dominance. Targets are
    standardised for training (``target_mean_``, ``target_scale_``).

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    %(layout_params)s
    fusion : {"attention", "gated", "concat"}, default="attention"
        The fusion layer.
    fusion_size : int, default=32
        Common projection size, the size of the fused vector.
    %(net_params)s
    %(reg_loss_params)s
    %(train_params)s
    %(net_optimizer)s
    %(criterion_doc)s
    %(net_callbacks)s
    %(fit_options)s

    Attributes
    ----------
    target_mean_, target_scale_ : ndarray of shape (n_outputs,)
        Target standardisation.
    n_outputs_ : int
        Number of targets.
    modality_weights_ : dict of str to float
        Average attention (gate) weight of each modality over the training
        rows (``"concat"``: average factor contribution). Sums to 1.
    %(fitted_attrs)s

    See Also
    --------
    AttentionFusionClassifier : the classifier.
    TensorFusionRegressor : multiplicative cross-modal interactions.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import AttentionFusionRegressor
    >>> X, y = make_multimodal_regression(n_samples=200, random_state=0)
    >>> reg = AttentionFusionRegressor(max_epochs=30, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.5
    True
    """

    _parameter_constraints: dict = {
        **_AttentionFusion._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
    }

    def __init__(
        self,
        *,
        modalities=None,
        remainder="error",
        fusion="attention",
        fusion_size=32,
        hidden_sizes=(32,),
        head_hidden_sizes=(64,),
        dropout=0.1,
        modality_dropout=0.0,
        loss="mse",
        metric_loss=None,
        metric_weight=0.1,
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=64,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        device="cpu",
        verbose=0,
        warm_start=False,
        random_state=None,
    ):
        self.modalities = modalities
        self.remainder = remainder
        self.fusion = fusion
        self.fusion_size = fusion_size
        self.hidden_sizes = hidden_sizes
        self.head_hidden_sizes = head_hidden_sizes
        self.dropout = dropout
        self.modality_dropout = modality_dropout
        self.loss = loss
        self.metric_loss = metric_loss
        self.metric_weight = metric_weight
        self.polarity_weight = polarity_weight
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.device = device
        self.verbose = verbose
        self.warm_start = warm_start
        self.random_state = random_state
