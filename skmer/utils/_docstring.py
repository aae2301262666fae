"""The one mechanism for shared docstring fragments.

A class or function docstring names a fragment as ``%(name)s`` on a line of its
own; :func:`fill_doc` replaces it with the fragment, re-indented to the
placeholder's indentation (as imbalanced-learn's ``Substitution``). Fragments
are written flush left, in numpydoc layout.
"""

import re
import textwrap

_PLACEHOLDER = re.compile(
    r"^(?P<indent>[ \t]*)%\((?P<name>\w+)\)s[ \t]*$", re.MULTILINE
)


def fill_doc(**fragments):
    """Return a decorator that fills ``%(name)s`` lines of a docstring.

    Parameters
    ----------
    **fragments : str
        Text of each fragment, by the name used in the placeholders.

    Returns
    -------
    decorator : callable
        Sets ``obj.__doc__`` with every placeholder replaced and returns
        ``obj``. A placeholder with no fragment raises ``KeyError`` naming it,
        at import time, so a typo never reaches the rendered docs.

    Examples
    --------
    >>> from skmer.utils._docstring import fill_doc
    >>> @fill_doc(seed="random_state : int, default=None\\n    Seed.")
    ... def f():
    ...     '''Do it.
    ...
    ...     Parameters
    ...     ----------
    ...     %(seed)s
    ...     '''
    >>> print(f.__doc__.splitlines()[4])
        random_state : int, default=None
    """
    texts = {k: textwrap.dedent(v).strip("\n") for k, v in fragments.items()}

    def _fill(match):
        name = match.group("name")
        if name not in texts:
            raise KeyError(f"docstring placeholder %({name})s has no fragment")
        return textwrap.indent(texts[name], match.group("indent"))

    def decorate(obj):
        if obj.__doc__:
            obj.__doc__ = _PLACEHOLDER.sub(_fill, obj.__doc__)
        return obj

    return decorate
