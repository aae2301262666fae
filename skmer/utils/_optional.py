"""Lazy imports of optional dependencies, with an error naming the extra."""

import importlib


def import_optional(module, extra):
    """Import an optional dependency, or fail naming the skmer extra to install.

    Parameters
    ----------
    module : str
        Dotted module name, e.g. ``"librosa"`` or ``"matplotlib.pyplot"``.
    extra : str
        The ``skmer`` extra that installs it, e.g. ``"audio"``.

    Returns
    -------
    module : module
        The imported module.

    Raises
    ------
    ImportError
        When the module is not installed; the message says
        ``pip install "skmer[<extra>]"``.

    Examples
    --------
    >>> from skmer.utils import import_optional
    >>> import_optional("numpy", "core").__name__
    'numpy'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        failed = (exc.name or top).split(".")[0]
        if failed != top:
            # the module is there, but one of its own imports failed
            raise ImportError(
                f"The optional dependency {top!r} is installed but cannot be imported: "
                f'{exc}. Reinstall it with: pip install "skmer[{extra}]"'
            ) from exc
        raise ImportError(
            f"This feature needs the optional dependency {top!r}, which is not "
            f'installed. Install it with: pip install "skmer[{extra}]"'
        ) from exc
