"""The one skorch core of skmer's neural estimators.

:class:`NeuralNetMixin` serves every estimator that trains a torch module --
the neural fusion nets, the end-to-end sequence models, the learned encoders
and DANN. It holds the parameters they share (``max_epochs``, ``batch_size``,
``lr``, ``optimizer``, ``criterion``, ``callbacks``, ``device``, ``verbose``,
``random_state`` and the dicts of skorch-style prefixed parameters
``module_params``, ``optimizer_params``, ``criterion_params``) and does, in
separate steps:

1. :meth:`_initialize_net`: checks the device and builds ``net_``, a
   :class:`skmer.utils._skorch_net.TensorNet`, whose skorch ``initialize()``
   makes the module (the estimator's ``_build_module()`` hook), the criterion
   (``criterion``, or the estimator's ``_default_criterion()``) and the
   optimiser (a ``torch.optim`` class) from classes and prefixed parameters;
2. :meth:`_train_net`: the fit loop on tensors, under a torch generator forked
   and seeded from ``random_state``, with per-sample weights and an optional
   validation split (grouped by ``groups`` when given), then the divergence
   check.

``set_params(optimizer__weight_decay=1e-3)`` (and ``module__...``,
``criterion__...``) store the value in the matching ``*_params`` dict, so a
grid search reaches inside the net while ``__init__`` keeps explicit
arguments; ``get_params(deep=True)`` lists them back under their prefixed
names. Pickle and ``skops.io`` store ``net_`` as plain arrays (module,
criterion and optimiser state dicts, history) and rebuild it on load.

torch and skorch are imported inside methods only.
"""

import copy
from numbers import Integral, Real

import numpy as np
from sklearn.model_selection import (
    GroupShuffleSplit,
    ShuffleSplit,
    StratifiedShuffleSplit,
)
from sklearn.utils import check_random_state

from skmer.utils._sklearn_compat import Interval, StrOptions

PREFIXES = ("module", "optimizer", "criterion")

# names accepted for ``optimizer`` besides a torch.optim class
OPTIMIZERS = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSprop"}

NET_PARAMETER_CONSTRAINTS = {
    "max_epochs": [Interval(Integral, 1, None, closed="left")],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "lr": [Interval(Real, 0, None, closed="neither")],
    "optimizer": [StrOptions(set(OPTIMIZERS)), callable],
    "criterion": [callable, None],
    "callbacks": [list, None],
    "module_params": [dict, None],
    "optimizer_params": [dict, None],
    "criterion_params": [dict, None],
    "device": [str],
    "verbose": ["verbose"],
    "random_state": ["random_state"],
}


# docstring fragments of the shared parameters (``fill_doc(**NET_DOCS)``)
NET_DOCS = {
    "net_optimizer": """\
optimizer : torch.optim class or {"adam", "adamw", "sgd", "rmsprop"}, default="adam"
    The optimiser class (a name stands for ``torch.optim.Adam``, ``AdamW``,
    ``SGD``, ``RMSprop``); its other arguments go in ``optimizer_params``,
    e.g. ``set_params(optimizer__momentum=0.9)`` for SGD with momentum.""",
    "net_callbacks": """\
callbacks : list of skorch callbacks or None, default=None
    Extra skorch callbacks, e.g. ``skorch.callbacks.GradientNormClipping``,
    ``LRScheduler``, progress or checkpoint callbacks; they receive the net
    and its history (per-batch hooks are called only on callbacks that
    define them).
module_params, optimizer_params, criterion_params : dict or None, default=None
    Extra arguments of the module, optimiser and criterion, skorch style:
    ``set_params(module__dropout=0.2, optimizer__weight_decay=1e-4)`` and
    grids over ``"optimizer__weight_decay"`` store them here.""",
}


def seed_from(random_state):
    """One integer seed for torch and the validation split."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def to_plain(obj):
    """Torch tensors in a (nested) state dict as numpy arrays, numpy scalars as
    Python scalars: the plain objects pickle and ``skops.io`` store."""
    if hasattr(obj, "detach") and hasattr(obj, "numpy"):  # a torch tensor
        return obj.detach().cpu().numpy().copy()
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        items = [to_plain(v) for v in obj]
        return items if isinstance(obj, list) else tuple(items)
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def to_torch(obj):
    """Inverse of :func:`to_plain` for state dicts: numpy arrays back to tensors."""
    import torch

    if isinstance(obj, np.ndarray):
        return torch.as_tensor(np.array(obj))  # a writable copy
    if isinstance(obj, dict):
        return {k: to_torch(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        items = [to_torch(v) for v in obj]
        return items if isinstance(obj, list) else tuple(items)
    return obj


def validation_split(n, fraction, *, y=None, groups=None, stratify=False, seed=0):
    """Train and validation indices for early stopping.

    Groups (e.g. speakers), when given, never straddle the two parts
    (:class:`~sklearn.model_selection.GroupShuffleSplit`); otherwise the split
    is stratified by ``y`` when ``stratify``. A ValueError names
    ``validation_fraction`` when the samples cannot be split.
    """
    if groups is not None:
        splitter, args = (
            GroupShuffleSplit(1, test_size=fraction, random_state=seed),
            (np.zeros(n), y, groups),
        )
    elif stratify:
        splitter = StratifiedShuffleSplit(1, test_size=fraction, random_state=seed)
        args = (np.zeros(n), y)
    else:
        splitter, args = (
            ShuffleSplit(1, test_size=fraction, random_state=seed),
            (np.zeros(n),),
        )
    try:
        train, valid = next(splitter.split(*args))
    except ValueError as exc:
        raise ValueError(
            f"early_stopping=True holds out validation_fraction={fraction} of the {n} "
            f"training samples, which cannot be split: {exc} Fit on more samples, "
            "change validation_fraction or set early_stopping=False."
        ) from exc
    if len(train) == 0 or len(valid) == 0:
        raise ValueError(
            f"early_stopping=True holds out validation_fraction={fraction} of the {n} "
            f"training samples ({'' if groups is None else 'by groups, '}leaving "
            f"{len(train)} to train and {len(valid)} to validate); fit on more "
            "samples or groups, change validation_fraction or set early_stopping=False."
        )
    return train, valid


def check_fit_metadata(n, sample_weight=None, groups=None):
    """``sample_weight`` as non-negative floats (not all zero), ``groups`` as an
    array, both of length ``n``; ValueErrors name them."""
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        if sample_weight.ndim == 0:
            sample_weight = np.full(n, float(sample_weight))
        if sample_weight.shape != (n,):
            raise ValueError(
                f"sample_weight has shape {sample_weight.shape}; expected ({n},)."
            )
        if not np.isfinite(sample_weight).all() or (sample_weight < 0).any():
            bad = int(
                np.flatnonzero(~(np.isfinite(sample_weight) & (sample_weight >= 0)))[0]
            )
            raise ValueError(
                f"sample_weight must be finite and non-negative; row {bad} has "
                f"{sample_weight[bad]!r}."
            )
        if sample_weight.sum() <= 0:
            raise ValueError(
                "Sample weights must contain at least one non-zero number "
                "(sample_weight sums to 0: no sample would be trained on)."
            )
    if groups is not None:
        groups = np.asarray(groups)
        if groups.shape != (n,):
            raise ValueError(f"groups has shape {groups.shape}; expected ({n},).")
    return sample_weight, groups


class NeuralNetMixin:
    """Shared skorch core of the neural estimators (put it first in the bases).

    An estimator using it implements ``_build_module()`` (the untrained torch
    module, built from fitted attributes and ``module_params``) and
    ``_default_criterion()`` (``(criterion class, keyword arguments)`` used
    when ``criterion`` is None); it may override ``_net_callbacks()`` (extra
    skorch callbacks, e.g. early stopping) and set ``_portable_net = False``
    to pickle the skorch net object itself (modules that cannot be rebuilt
    from their state dict alone), and ``_criterion_main_output = False`` to
    give a user's criterion the module's whole output tuple.
    """

    _portable_net = True

    # a criterion class given by the user gets only the module's first output
    # when the module returns a tuple (False: the whole tuple)
    _criterion_main_output = True

    # -- prefixed parameters -----------------------------------------------------
    def get_params(self, deep=True):
        """Parameters; with ``deep``, also the prefixed ``module__``,
        ``optimizer__`` and ``criterion__`` ones held in the ``*_params`` dicts."""
        params = super().get_params(deep=deep)
        if deep:
            for prefix in PREFIXES:
                for key, value in self._params_for(prefix).items():
                    params[f"{prefix}__{key}"] = value
        return params

    def set_params(self, **params):
        """Set parameters; ``<prefix>__<name>`` for ``module``, ``optimizer`` and
        ``criterion`` goes into the ``<prefix>_params`` dict (a new dict)."""
        rest, prefixed = {}, {}
        for key, value in params.items():
            prefix, sep, name = key.partition("__")
            if sep and prefix in PREFIXES and hasattr(self, f"{prefix}_params"):
                prefixed.setdefault(prefix, {})[name] = value
            else:
                rest[key] = value
        super().set_params(**rest)
        for prefix, values in prefixed.items():
            setattr(self, f"{prefix}_params", {**self._params_for(prefix), **values})
        return self

    def _params_for(self, prefix):
        """The prefixed parameters of ``prefix`` (a copy; {} unless a dict is set,
        an invalid value being reported by ``fit``'s parameter validation)."""
        params = getattr(self, f"{prefix}_params", None)
        return dict(params) if isinstance(params, dict) else {}

    # -- building --------------------------------------------------------------
    def _build_module(self):
        """Return the untrained torch module."""
        raise NotImplementedError

    def _default_criterion(self):
        """``(criterion class, keyword arguments)`` when ``criterion`` is None."""
        raise NotImplementedError

    def _net_callbacks(self):
        """skorch callbacks of the estimator itself, as ``(name, callback)``."""
        return []

    def _optimizer_class(self):
        optimizer = getattr(self, "optimizer", "adam")
        if isinstance(optimizer, str):
            import torch

            return getattr(torch.optim, OPTIMIZERS[optimizer])
        return optimizer

    def _check_device(self):
        """A ValueError naming ``device`` when torch cannot use it."""
        import torch

        try:
            device = torch.device(self.device)
        except RuntimeError as exc:
            raise ValueError(
                f"device={self.device!r} is not a torch device (e.g. 'cpu', 'cuda', "
                f"'cuda:1'): {exc}"
            ) from exc
        available = {
            "cuda": torch.cuda.is_available,
            "mps": lambda: torch.backends.mps.is_available(),
        }.get(device.type, lambda: True)
        if not available():
            raise ValueError(
                f"device={self.device!r}, but this torch build or machine has no "
                f"{device.type} device; use device='cpu'."
            )

    def _make_net(self):
        """A skorch ``TensorNet`` configured from the parameters (not initialised)."""
        from skmer.utils._skorch_net import TensorNet

        criterion = getattr(self, "criterion", None)
        if criterion is None:
            criterion, kwargs = self._default_criterion()
        else:
            kwargs = {}
        kwargs.update(self._params_for("criterion"))
        user = [
            (f"callback_{i}", cb)
            for i, cb in enumerate(getattr(self, "callbacks", None) or [])
        ]
        return TensorNet(
            self._new_module,  # skorch calls it with the ``module__`` parameters
            criterion=criterion,
            optimizer=self._optimizer_class(),
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            train_split=None,
            callbacks=[*self._net_callbacks(), *user],
            device=self.device,
            verbose=int(self.verbose),
            main_output_only=self._criterion_main_output
            and getattr(self, "criterion", None) is not None,
            **{f"module__{k}": v for k, v in self._params_for("module").items()},
            **{f"criterion__{k}": v for k, v in kwargs.items()},
            **{f"optimizer__{k}": v for k, v in self._optimizer_params().items()},
        )

    def _optimizer_params(self):
        return self._params_for("optimizer")

    def _new_module(self, **params):
        """``_build_module`` given the ``module__`` parameters, if any."""
        import inspect

        if not params:
            return self._build_module()
        accepted = inspect.signature(self._build_module).parameters.values()
        if not any(p.kind is p.VAR_KEYWORD for p in accepted):
            raise ValueError(
                f"{type(self).__name__} takes no module parameters; got "
                f"module_params={params!r}."
            )
        return self._build_module(**params)

    def _initialize_net(self):
        """Check the device and build an initialised ``net_`` (random weights
        drawn from torch's current generator)."""
        self._check_device()
        self.net_ = self._make_net().initialize()
        return self.net_

    # -- training ----------------------------------------------------------------
    def _train_net(
        self,
        inputs,
        target,
        *,
        sample_weight=None,
        groups=None,
        stratify=False,
        validation_fraction=None,
        initialize=True,
    ):
        """Train ``net_`` on ``inputs`` (dict of arrays) and ``target``.

        With ``initialize`` a new net is built first (else training continues,
        e.g. a warm start); ``validation_fraction`` holds out that share of the
        samples (by ``groups`` when given, else stratified when ``stratify``)
        as the validation set. Everything random is drawn from a torch
        generator forked and seeded from ``random_state``.
        """
        import torch

        from skmer.utils._skorch_net import TensorData

        seed = seed_from(self.random_state)
        valid = None
        if validation_fraction is not None:
            train, valid = validation_split(
                len(target),
                validation_fraction,
                y=target,
                groups=groups,
                stratify=stratify,
                seed=seed,
            )
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            net = self._initialize_net() if initialize else self.net_
            self._check_criterion_weights(net, sample_weight)
            data = TensorData(inputs, target, sample_weight, self.device)
            if valid is not None:
                data, valid = data.subset(train), data.subset(valid)
            net.partial_fit(self._training_data(data), valid=valid)
        self._check_divergence()
        return net

    def _training_data(self, data):
        """What the fit loop draws its training mini-batches from.

        ``data`` is the :class:`~skmer.utils._skorch_net.TensorData` of the
        training samples (the validation ones held out); the default trains on
        it as it is. Override it to batch differently (e.g. by length): the
        result needs ``len()``, a ``target`` tensor and ``batches(batch_size,
        shuffle)`` yielding ``(inputs, target, sample_weight)``.
        """
        return data

    def _check_criterion_weights(self, net, sample_weight):
        """A ValueError when weights are given to a criterion that takes none."""
        import inspect

        forward = getattr(net.criterion_, "forward", net.criterion_)
        if sample_weight is not None and (
            "sample_weight" not in inspect.signature(forward).parameters
        ):
            raise ValueError(
                f"sample_weight was given, but the criterion of {type(self).__name__} "
                f"({type(net.criterion_).__name__}) takes no sample_weight argument; "
                "fit without it or give a criterion whose forward accepts "
                "sample_weight."
            )

    def _check_divergence(self):
        """A ValueError (and no ``net_``) when training made weights non-finite."""
        import torch

        params = self.net_.module_.parameters()
        if not all(bool(torch.isfinite(p).all()) for p in params):
            epochs = len(self.net_.history)
            del self.net_  # its predictions would all be NaN
            raise ValueError(
                f"Training diverged: the network's weights became NaN or infinite "
                f"within {epochs} epochs. Lower lr (now {self.lr!r}) or use another "
                "optimizer."
            )

    # -- persistence -------------------------------------------------------------
    def __getstate__(self):
        """The estimator's state with ``net_`` as plain data (no torch objects).

        ``net_`` becomes a dict of the module's and the criterion's state dicts
        (numpy arrays), the optimiser's state dict (nested dicts and lists of
        numpy arrays and Python scalars, e.g. Adam's moments) and the skorch
        history (lists and dicts of Python scalars), so that pickle and
        ``skops.io`` can store it; ``__setstate__`` rebuilds the net from it.
        """
        state = dict(super().__getstate__())
        net = state.get("net_")
        if self._portable_net and getattr(net, "initialized_", False):
            state["net_"] = {
                "module": to_plain(dict(net.module_.state_dict())),
                "criterion": to_plain(dict(net.criterion_.state_dict())),
                "optimizer": to_plain(net.optimizer_.state_dict()),
                "history": to_plain(net.history.to_list()),
            }
        return state

    def __setstate__(self, state):
        """Restore the state; rebuild ``net_`` from its plain description."""
        state = dict(state)
        net = state.pop("net_", None)
        super().__setstate__(state)
        if isinstance(net, dict):
            self.net_ = self._rebuild_net(net)
        elif net is not None:
            self.net_ = net

    def _rebuild_net(self, description):
        """A skorch net equal to the fitted one, from ``__getstate__``'s description."""
        import torch
        from skorch.history import History

        # the new module's random initial weights are overwritten below: draw
        # them from a forked generator so the caller's is untouched
        with torch.random.fork_rng(devices=[]):
            net = self._make_net().initialize()
        net.module_.load_state_dict(to_torch(description["module"]))
        net.criterion_.load_state_dict(to_torch(description["criterion"]))
        net.optimizer_.load_state_dict(to_torch(description["optimizer"]))
        net.history = History(copy.deepcopy(description["history"]))
        return net
