"""Parameters of a composition of named sub-estimators (encoders, steps)."""

from skmer.utils._sklearn_compat import _BaseComposition


class NamedCompositionMixin(_BaseComposition):
    """``get_params`` / ``set_params`` through the named sub-estimators.

    A subclass defines the property ``_named``: its sub-estimators as a list
    of ``(name, estimator)`` pairs, with a setter that puts a new list back
    into its own parameter (scikit-learn's ``_BaseComposition`` protocol, as
    ``ColumnTransformer._transformers``).
    """

    def get_params(self, deep=True):
        """Parameters, with each named sub-estimator and its own when deep.

        Parameters
        ----------
        deep : bool, default=True
            Include the sub-estimators by name and their parameters
            (``"<name>__<param>"``, the name of a modality or a step).

        Returns
        -------
        params : dict
        """
        return self._get_params("_named", deep=deep)

    def set_params(self, **params):
        """Set parameters, including ``"<name>"`` and ``"<name>__<param>"``.

        Parameters
        ----------
        **params : dict
            Parameters to set; ``"<name>"`` replaces a sub-estimator.

        Returns
        -------
        self : object
        """
        self._set_params("_named", **params)
        return self
