"""skorch net with a tensor-slicing fit loop (imported only when a net is built).

:class:`TensorNet` is a :class:`skorch.NeuralNet` -- ``initialize()`` builds the
module, criterion and optimiser from classes and prefixed parameters, callbacks
and history work as in skorch -- whose fit loop slices mini-batches from
tensors held on the device (:class:`TensorData`) instead of going through a
``DataLoader`` that indexes and collates one sample at a time, calls the
criterion with per-sample weights when given, and records one loss per epoch.
Per-batch callback hooks are called only on the callbacks that define them.
"""

import torch
from skorch import NeuralNet
from skorch.callbacks import Callback, EpochTimer, PrintLog

_BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_grad_computed")


class TensorData:
    """Training data as tensors: a dict of inputs, the target, optional weights.

    Parameters
    ----------
    inputs : dict of str to ndarray or Tensor
        Module inputs, first axis = samples.
    target : ndarray or Tensor
    sample_weight : ndarray, Tensor or None
    device : str or torch.device
    index : ndarray or None
        Positions of these samples in the data they were taken from.
    """

    def __init__(self, inputs, target, sample_weight=None, device="cpu", index=None):
        self.index = index
        self.inputs = {k: torch.as_tensor(v, device=device) for k, v in inputs.items()}
        self.target = torch.as_tensor(target, device=device)
        self.sample_weight = (
            None
            if sample_weight is None
            else torch.as_tensor(sample_weight, dtype=torch.float32, device=device)
        )

    def __len__(self):
        return len(self.target)

    def subset(self, index):
        """The samples at ``index`` (a new TensorData sharing nothing with this one)."""
        rows = torch.as_tensor(index, device=self.target.device)
        return TensorData(
            {k: v[rows] for k, v in self.inputs.items()},
            self.target[rows],
            None if self.sample_weight is None else self.sample_weight[rows],
            self.target.device,
            index=index,
        )

    def batches(self, batch_size, shuffle):
        """Yield ``(inputs, target, sample_weight)`` mini-batches."""
        n = len(self)
        order = torch.randperm(n, device=self.target.device) if shuffle else None
        for start in range(0, n, batch_size):
            if order is None:
                index = slice(start, start + batch_size)
            else:
                index = order[start : start + batch_size]
            w = self.sample_weight
            yield (
                {k: v[index] for k, v in self.inputs.items()},
                self.target[index],
                None if w is None else w[index],
            )


def _defines(callback, hook):
    return getattr(type(callback), hook) is not getattr(Callback, hook)


class TensorNet(NeuralNet):
    """A :class:`skorch.NeuralNet` trained on :class:`TensorData`.

    ``fit(train, valid=valid)`` and ``partial_fit`` take a :class:`TensorData`
    of training samples and optionally one of validation samples. History
    rows hold ``train_loss`` (and ``valid_loss``), each the mean of the batch
    losses weighted by batch size, with ``*_best`` flags, and ``dur``.

    Parameters
    ----------
    main_output_only : bool, default=False
        Give the criterion only the first output when the module returns a
        tuple (for a user's criterion such as ``torch.nn.CrossEntropyLoss``).
    **kwargs
        Arguments of :class:`skorch.NeuralNet`.
    """

    def __init__(self, *args, main_output_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.main_output_only = main_output_only

    def get_default_callbacks(self):
        return [("epoch_timer", EpochTimer()), ("print_log", PrintLog())]

    def get_loss(self, y_pred, y_true, X=None, training=False, sample_weight=None):
        if self.main_output_only and isinstance(y_pred, tuple | list):
            y_pred = y_pred[0]
        if sample_weight is None:
            return self.criterion_(y_pred, y_true)
        return self.criterion_(y_pred, y_true, sample_weight=sample_weight)

    def fit_loop(self, X, y=None, epochs=None, *, valid=None, **fit_params):
        """Train for ``epochs`` (default ``max_epochs``) epochs on ``X`` (TensorData)."""
        self.check_training_readiness()
        epochs = self.max_epochs if epochs is None else epochs
        hooks = {
            hook: [cb for _, cb in self.callbacks_ if _defines(cb, hook)]
            for hook in _BATCH_HOOKS
        }
        kwargs = {"dataset_train": X, "dataset_valid": valid}
        for _ in range(epochs):
            self.notify("on_epoch_begin", **kwargs)
            self._record("train", self._run_epoch(X, True, hooks))
            if valid is not None:
                with torch.no_grad():
                    self._record("valid", self._run_epoch(valid, False, hooks))
            self.notify("on_epoch_end", **kwargs)
        return self

    def _record(self, prefix, loss):
        key = f"{prefix}_loss"
        previous = [row[key] for row in self.history[:-1] if key in row]
        self.history.record(key, loss)
        self.history.record(f"{key}_best", not previous or loss < min(previous))

    def _run_epoch(self, data, training, hooks):
        self._set_training(training)
        total = torch.zeros((), device=data.target.device)
        for Xi, yi, wi in data.batches(self.batch_size, shuffle=training):
            batch = (Xi, yi)
            for cb in hooks["on_batch_begin"]:
                cb.on_batch_begin(self, batch=batch, training=training)
            if training:
                self.optimizer_.zero_grad(set_to_none=True)
            y_pred = self.module_(**Xi)
            loss = self.get_loss(y_pred, yi, training=training, sample_weight=wi)
            if training:
                loss.backward()
                for cb in hooks["on_grad_computed"]:
                    cb.on_grad_computed(
                        self,
                        named_parameters=list(self.get_all_learnable_params()),
                        batch=batch,
                        training=True,
                    )
                self.optimizer_.step()
            total += loss.detach() * len(yi)
            for cb in hooks["on_batch_end"]:
                cb.on_batch_end(
                    self, batch=batch, training=training, loss=loss, y_pred=y_pred
                )
        return float(total) / max(len(data), 1)
