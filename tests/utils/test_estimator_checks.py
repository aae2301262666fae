"""The sequence-model checks fail on the faults they are meant to catch."""

import numpy as np
import pandas as pd
import pytest

from skmer.sequence import ContextualLSTMClassifier, TriModalHMMClassifier
from skmer.utils.estimator_checks import (
    check_sequence_duplicate_columns,
    check_sequence_id_column,
    check_sequence_not_fitted,
    check_sequence_row_order,
)

pytest.importorskip("skorch")
pytest.importorskip("hmmlearn")


def _context_frame():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "a": list(rng.randn(16, 2)),
            "video": np.repeat(["v0", "v1", "v2", "v3"], 4),
            "utt": np.tile([1, 2, 3, 4], 4),
        }
    )
    return X, rng.randint(0, 2, 16)


class _RowOrderContext(ContextualLSTMClassifier):
    """The old bc-LSTM: utterances of a group in the order of the rows."""

    def _group_layout(self, X):
        groups = self._group_codes(X)
        positions = np.zeros(len(groups), dtype=int)
        for g in np.unique(groups):
            rows = np.flatnonzero(groups == g)
            positions[rows] = np.arange(len(rows))
        return groups, positions


class _PredictsBeforeFit(TriModalHMMClassifier):
    """The old THMM: predict read classes_ before checking the fit."""

    def predict(self, X):
        return self.classes_[np.argmax(self._scores(X), axis=1)]


class _ReadsEveryColumn(TriModalHMMClassifier):
    """Reads every column as a modality, ids included."""

    def _input_columns(self, X):
        return list(X.columns)


def test_row_order_check_catches_context_from_row_order():
    X, y = _context_frame()
    kw = dict(
        group_column="video",
        order_column="utt",
        hidden_size=4,
        max_epochs=2,
        random_state=0,
    )
    check_sequence_row_order(ContextualLSTMClassifier(**kw), X, y)
    with pytest.raises(AssertionError, match="rows were shuffled"):
        check_sequence_row_order(_RowOrderContext(**kw), X, y)


def test_not_fitted_and_id_column_checks_catch_old_behaviour():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": [rng.randn(3, 2) for _ in range(12)]})
    y = np.arange(12) % 2
    check_sequence_not_fitted(TriModalHMMClassifier(), X, y)
    with pytest.raises(AssertionError, match="predict before fit"):
        check_sequence_not_fitted(_PredictsBeforeFit(), X, y)
    check_sequence_id_column(TriModalHMMClassifier(n_iter=1), X, y)
    with pytest.raises((AssertionError, TypeError)):
        check_sequence_id_column(_ReadsEveryColumn(n_iter=1), X, y)
    check_sequence_duplicate_columns(TriModalHMMClassifier(n_iter=1), X, y)
