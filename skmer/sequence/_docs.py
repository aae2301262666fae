"""Docstring fragments shared by the sequence models (filled by ``fill_doc``)."""

COLUMNS = """\
columns : list of str, default=None
    The input columns of X (cells: ``(T, d)`` sequences, None where missing);
    None uses every column, and a column of scalars or strings (an id) is then
    an error asking to name ``columns``."""

SKIP_ZERO_STEPS = """\
skip_zero_steps : bool, default=False
    Drop all-zero steps (padding of released corpora); a cell left empty is
    missing."""

CLF_LOSS = """\
loss : {"cross_entropy", "kl", "polarity"}, default="cross_entropy"
    Training loss (see :class:`skmer.nn.FusionLoss`).
class_weight : "balanced", dict or None, default=None
    Class weights of the loss.
class_polarity : dict or array-like, default=None
    Polarity of each class for ``loss="polarity"``.
polarity_weight : float, default=1.0
    Weight of the polarity term."""

REG_LOSS = """\
loss : {"mse", "l1", "huber", "polarity"}, default="mse"
    Training loss.
polarity_weight : float, default=1.0
    Weight of the polarity term of ``loss="polarity"``."""


def train(max_epochs=50, batch_size=32, lr="1e-3", optimizer="adam", patience=5):
    """The training parameters, with a model family's defaults."""
    return f"""\
max_epochs : int, default={max_epochs}
    Training epochs (upper bound with early stopping).
batch_size : int, default={batch_size}
    Minibatch size.
lr : float, default={lr}
    Learning rate.
optimizer : torch.optim class or {{"adam", "adamw", "sgd", "rmsprop"}}, default="{optimizer}"
    The optimiser class (a name stands for ``torch.optim.Adam``, ``AdamW``,
    ``SGD``, ``RMSprop``); its other arguments go in ``optimizer_params``.
weight_decay : float, default=0.0
    L2 penalty of the optimiser (``optimizer__weight_decay`` overrides it).
criterion : torch.nn.Module class or None, default=None
    None trains with :class:`skmer.nn.FusionLoss` set by ``loss``; a class
    is built with ``criterion_params`` and called on the main output and
    the encoded targets.
callbacks : list of skorch callbacks or None, default=None
    Extra skorch callbacks (copied at each fit), e.g. gradient clipping or
    learning-rate schedules.
module_params, optimizer_params, criterion_params : dict or None, default=None
    Extra arguments of the network, optimiser and criterion, skorch style:
    ``set_params(module__dropout=0.2, optimizer__weight_decay=1e-4)`` and
    grids over ``"optimizer__weight_decay"`` store them here.
early_stopping : bool, default=False
    Hold out ``validation_fraction`` of the training samples (whole
    ``groups`` when ``fit`` gets them) and stop when the validation loss
    stops improving for ``patience`` epochs (best weights restored).
validation_fraction : float, default=0.1
    Held-out share for early stopping.
patience : int, default={patience}
    Epochs without improvement before stopping.
device : str, default="cpu"
    torch device, e.g. ``"cuda"``.
verbose : int, default=0
    skorch's per-epoch progress table when > 0.
random_state : int, RandomState instance or None, default=None
    Seeds torch, numpy and the validation split: equal seeds give equal
    predictions (on CPU).
warm_start : bool, default=False
    Continue training the previous ``net_`` on a new ``fit`` (same columns
    and targets). Only ``max_epochs``, ``lr``, ``batch_size``, ``verbose``
    and ``callbacks`` may change in between; changing another parameter
    raises a ValueError.
modality_dropout : float, default=0.0
    Probability of hiding a present modality of a sample while training.
metric_loss : {{"triplet", "npair"}} or None, default=None
    Auxiliary metric loss (see :class:`skmer.nn.FusionLoss`); these networks
    return no embedding, so it has no effect unless they do.
metric_weight : float, default=0.1
    Weight of the auxiliary loss."""


CLASSES = """\
classes_ : ndarray of shape (n_classes,)
    Class labels."""

TARGET = """\
target_mean_, target_scale_ : ndarray
    Target standardisation."""

FITTED = """\
net_ : skorch.NeuralNet
    The trained network. The fitted estimator saves with pickle or
    ``skops.io``: the net is stored as plain arrays (module and optimiser
    state, training history) and rebuilt on load.
modalities_ : dict of str to ndarray
    The input columns used, each with the indices ``0 .. d-1`` of its
    per-step features (``len`` is the feature dimension).
modality_weights_ : dict of str to float
    Mean absolute change of the output when a column is hidden, over the
    training rows where it is present; sums to 1. Computed on first access
    (``fit`` runs no pass after its last epoch).
feature_mean_, feature_scale_ : dict of str to ndarray
    Per-column standardisation of the features (over present steps).
n_epochs_ : int
    Epochs trained.
n_parameters_ : int
    Trainable parameters of the network.
n_features_in_ : int
    Columns of X seen in fit.
feature_names_in_ : ndarray of str
    Those columns' names."""
