"""Scorers of multi-label emotion classification.

scikit-learn's metrics already cover multi-label indicator targets
(:func:`~sklearn.metrics.hamming_loss`, :func:`~sklearn.metrics.f1_score` with
``average="micro"`` / ``"macro"``, :func:`~sklearn.metrics.accuracy_score`,
which is the subset accuracy on indicator matrices); this module only adds the
scorers scikit-learn does not register by name.
"""

from sklearn.metrics import accuracy_score, hamming_loss, make_scorer

MULTILABEL_SCORERS = {
    "neg_hamming_loss": make_scorer(hamming_loss, greater_is_better=False),
    "subset_accuracy": make_scorer(accuracy_score),
}
