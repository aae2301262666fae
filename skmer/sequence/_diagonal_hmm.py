"""hmmlearn's diagonal Gaussian HMM without its O(d**2) steps (imports hmmlearn)."""

from hmmlearn.base import ConvergenceMonitor
from hmmlearn.hmm import GaussianHMM


class RecordingMonitor(ConvergenceMonitor):
    """hmmlearn's EM monitor that records the log-likelihoods without logging.

    hmmlearn logs "Model is not converging" for any step back of the
    log-likelihood, also one below the tolerance that ends EM at that very
    step. Its M-step estimates the variances under a prior (``covars_prior``,
    a MAP estimate), so EM increases the posterior, and the likelihood it
    reports may step back a little near the optimum. The estimator reads
    ``history`` after the fit and warns only about a step back larger than the
    tolerance or an EM cut off by ``n_iter``.
    """

    def report(self, log_prob):
        self.history.append(log_prob)
        self.iter += 1


class DiagonalGaussianHMM(GaussianHMM):
    """A :class:`hmmlearn.hmm.GaussianHMM` (``covariance_type="diag"``) in O(d).

    hmmlearn's ``covars_`` property expands the (n_states, d) variances to full
    (n_states, d, d) matrices, and its initialisation reads that property (and,
    with ``"c"`` in ``init_params``, builds the d x d covariance of the frames
    to keep its diagonal): 800 MB and seconds per state at d = 10 000 features.
    This class never reads ``covars_`` itself; fit it with ``"c"`` left out of
    ``init_params`` and the initial variances set, and read the stored
    variances from ``diagonal_covars_``.
    """

    @property
    def diagonal_covars_(self):
        """The (n_states, n_features) variances."""
        return self._covars_

    def _needs_init(self, code, name):
        # hasattr(self, "covars_") would expand the variances to d x d matrices
        return super()._needs_init(code, "_covars_" if name == "covars_" else name)
