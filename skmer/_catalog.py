"""The catalog of fusion strategies compared by the CLI, the demo and benchmarks.

The catalog is derived from the public names of :mod:`skmer.fusion`, so adding a
fusion strategy is one private module exported there plus its tests (see
``doc/contributing.rst``). A strategy is every public class of ``skmer.fusion``
that

- is a classifier or a regressor (sklearn's ``estimator_type`` tag),
- takes 2-D encoded features (the ``input_tags.two_d_array`` tag: end-to-end
  sequence models, which read raw frames, do not), and
- can be built from its defaults.

Its name is the class name in kebab case without ``Fusion``, ``Classifier`` and
``Regressor`` (``LateFusionClassifier`` -> ``late``, ``MultipleKernelRegressor``
-> ``multiple-kernel``). Its variants are those the class declares in a
``_catalog_variants`` attribute (``{suffix: params}``), else one per option of
its ``method`` parameter (``late-soft``, ``late-weighted``, ...), the default
first. Estimators trained by gradient descent (those with a ``max_epochs``
parameter) get small nets so that a few thousand rows fit in seconds.
"""

import inspect
import re
import warnings

from sklearn.base import BaseEstimator
from sklearn.utils import get_tags

# small nets and few epochs: a fusion of a few thousand rows fits in seconds
NEURAL_PARAMS = {
    "max_epochs": 25,
    "lr": 0.01,
    "batch_size": 64,
    "hidden_sizes": (8,),
    "head_hidden_sizes": (16,),
    "fusion_size": 16,
}

_TASKS = {"classification": "classifier", "regression": "regressor"}


def _sequence_names():
    """Public names of :mod:`skmer.sequence`, when that subpackage exists."""
    try:
        import skmer.sequence as sequence
    except ImportError:
        return set()
    return set(getattr(sequence, "__all__", ()))


def _public_classes():
    """The estimator classes exported by :mod:`skmer.fusion`, in ``__all__`` order."""
    import skmer.fusion as fusion

    moved = _sequence_names()
    for name in fusion.__all__:
        if name in moved:
            continue
        with warnings.catch_warnings():
            # names kept in skmer.fusion for one release warn on access
            warnings.simplefilter("ignore", FutureWarning)
            obj = getattr(fusion, name)
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            yield obj


def _buildable(cls):
    params = inspect.signature(cls).parameters.values()
    return all(p.default is not p.empty for p in params if p.kind != p.VAR_KEYWORD)


def strategy_name(cls):
    """The catalog name of a fusion class.

    Parameters
    ----------
    cls : type
        A fusion estimator class.

    Returns
    -------
    name : str
        The class name in kebab case without ``Fusion``, ``Classifier`` and
        ``Regressor``.

    Examples
    --------
    >>> from skmer._catalog import strategy_name
    >>> from skmer.fusion import LateFusionClassifier, MultipleKernelRegressor
    >>> strategy_name(LateFusionClassifier), strategy_name(MultipleKernelRegressor)
    ('late', 'multiple-kernel')
    """
    words = re.findall(r"[A-Z]+[a-z0-9]*", cls.__name__)
    kept = [w.lower() for w in words if w not in ("Fusion", "Classifier", "Regressor")]
    return "-".join(kept) or cls.__name__.lower()


def _method_options(cls):
    """The non-deprecated options of the class's ``method`` parameter."""
    for constraint in getattr(cls, "_parameter_constraints", {}).get("method", []):
        options = getattr(constraint, "options", None)
        if options:
            return set(options) - set(getattr(constraint, "deprecated", ()))
    return set()


def variants(cls):
    """The settings under which a fusion class enters the catalog.

    Parameters
    ----------
    cls : type
        A fusion estimator class.

    Returns
    -------
    variants : dict of str to dict
        ``{name: params}``: the class's own ``_catalog_variants`` when it
        declares them, else one entry per option of its ``method`` parameter
        (the default first), else one entry with the defaults.

    Examples
    --------
    >>> from skmer._catalog import variants
    >>> from skmer.fusion import GraphFusionClassifier
    >>> variants(GraphFusionClassifier)
    {'graph-learned': {'method': 'learned'}, 'graph-average': {'method': 'average'}, 'graph-snf': {'method': 'snf'}}
    """
    base = strategy_name(cls)
    declared = getattr(cls, "_catalog_variants", None)
    if declared is not None:
        return {
            f"{base}-{suffix}" if suffix else base: dict(p)
            for suffix, p in declared.items()
        }
    options = _method_options(cls)
    if not options:
        return {base: {}}
    default = inspect.signature(cls).parameters["method"].default
    ordered = sorted(options, key=lambda o: (o != default, o))
    return {f"{base}-{option}": {"method": option} for option in ordered}


def fusion_classes(task="classification"):
    """The fusion estimator classes of a task, derived from ``skmer.fusion``.

    Parameters
    ----------
    task : {"classification", "regression"}, default="classification"
        Which estimators to return.

    Returns
    -------
    classes : list of type
        Buildable classes of ``skmer.fusion.__all__`` of that task that take
        2-D encoded features, sorted by strategy name.

    Examples
    --------
    >>> from skmer._catalog import fusion_classes
    >>> [c.__name__ for c in fusion_classes("regression")][:2]
    ['AttentionFusionRegressor', 'EarlyFusionRegressor']
    """
    if task not in _TASKS:
        raise ValueError(
            f"task must be 'classification' or 'regression'; got {task!r}."
        )
    found = []
    for cls in _public_classes():
        if not _buildable(cls):
            continue
        tags = get_tags(cls())
        if tags.estimator_type == _TASKS[task] and tags.input_tags.two_d_array:
            found.append(cls)
    return sorted(found, key=strategy_name)


def is_neural(estimator):
    """Whether an estimator is trained by gradient descent (has ``max_epochs``).

    Parameters
    ----------
    estimator : estimator
        Any estimator.

    Returns
    -------
    neural : bool

    Examples
    --------
    >>> from skmer._catalog import is_neural
    >>> from skmer.fusion import LateFusionClassifier, TensorFusionClassifier
    >>> is_neural(TensorFusionClassifier()), is_neural(LateFusionClassifier())
    (True, False)
    """
    return "max_epochs" in estimator.get_params(deep=False)


def fusion_catalog(
    task="classification", *, random_state=0, neural=True, neural_params=None
):
    """Named fusion estimators for a task, one per strategy and variant.

    Parameters
    ----------
    task : {"classification", "regression"}, default="classification"
        Which estimators to return.
    random_state : int, default=0
        Seeds every estimator that takes a ``random_state``.
    neural : bool, default=True
        Include the estimators trained by gradient descent (torch-based,
        slower to fit).
    neural_params : dict, default=None
        Settings of those estimators, on top of :data:`NEURAL_PARAMS`; each is
        applied where the estimator has that parameter.

    Returns
    -------
    catalog : dict of str to estimator
        Unfitted estimators keyed by strategy name.

    Examples
    --------
    >>> from skmer._catalog import fusion_catalog
    >>> catalog = fusion_catalog("classification")
    >>> "late-stacking" in catalog and "tensor" in catalog
    True
    >>> catalog["tensor"].max_epochs
    25
    """
    small = {**NEURAL_PARAMS, **(neural_params or {})}
    catalog = {}
    for cls in fusion_classes(task):
        for name, params in variants(cls).items():
            est = cls(**params)
            own = est.get_params(deep=False)
            if is_neural(est):
                if not neural:
                    continue
                est.set_params(
                    **{k: v for k, v in small.items() if k in own and k not in params}
                )
            if "random_state" in own:
                est.set_params(random_state=random_state)
            catalog[name] = est
    return catalog
