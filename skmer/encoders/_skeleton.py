"""Gait / body skeleton encoder: posture, movement and covariance descriptors."""

from numbers import Integral, Real

import numpy as np

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import (
    as_float_array,
    check_stats,
    functionals,
    stat_names,
)
from skmer.utils._sklearn_compat import Interval


def _finite_differences(X, fps, order):
    out = X
    for _ in range(order):
        out = (
            np.diff(out, axis=0) * fps
            if out.shape[0] > 1
            else np.zeros((0, *X.shape[1:]))
        )
    return out


class SkeletonEncoder(BaseModalityEncoder):
    """Posture, movement and covariance descriptors of skeleton sequences.

    Each item is a sequence of body poses ``(T, n_joints, 2|3)`` (e.g. Kinect,
    OpenPose or motion-capture joints), as used for gait and body-expression
    emotion recognition; ``T`` may differ between items.

    Features:

    * posture, summarised over frames with ``stats`` (``<stat>_<name>``):
      ``radius_j<k>`` (distance of joint ``k`` to the skeleton centroid),
      ``extent_<axis>`` (bounding-box size along each axis), ``bbox_volume``
      (product of the extents: area in 2-D, volume in 3-D) and, for each
      triplet ``(a, b, c)`` in ``angles``, ``angle_<a>_<b>_<c>`` (degrees at
      joint ``b``);
    * movement, from finite differences at ``fps``: ``centroid_velocity_<axis>``
      (mean velocity of the centroid), ``speed_mean``/``_std``/``_max`` (joint
      speeds), ``acceleration_mean``/``_std``/``_max`` and
      ``jerk_mean``/``_std``/``_max`` (magnitudes of the joint accelerations
      and jerks; 0 when the sequence is too short);
    * with ``covariance=True``, the covariance descriptor of Hussein et al.
      (2013): the upper triangle of the covariance over time of the
      ``n_joints * dim`` joint coordinates (``cov_<i>_<j>``).

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    fps : float, default=30.0
        Frame rate.
    angles : list of (int, int, int), default=None
        Joint triplets whose angle at the middle joint is a posture feature.
    stats : list of str, default=("mean", "std")
        Functionals of the posture features, among those of
        :class:`SequencePooling` (``"mean"``, ``"std"``, ``"min"``, ``"max"``,
        ``"median"``, ``"iqr"``, ``"first"``, ``"last"``, ``"slope"``).
    covariance : bool, default=True
        Add the covariance descriptor.

    Attributes
    ----------
    n_joints_ : int
        Joints per pose.
    dim_ : int
        Coordinates per joint (2 or 3).
    n_features_out_ : int
        Number of output features.

    See Also
    --------
    FaceEncoder : facial landmarks.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import SkeletonEncoder
    >>> pose = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0]])
    >>> walk = pose + np.array([0.5, 0.0, 0.0]) * np.arange(10)[:, None, None] / 10
    >>> enc = SkeletonEncoder(fps=10, angles=[(0, 1, 2)], covariance=False).fit([walk])
    >>> z = dict(zip(enc.get_feature_names_out(), enc.transform([walk])[0]))
    >>> [round(float(z[k]), 6) for k in ("centroid_velocity_x", "acceleration_max",
    ...                                  "mean_angle_0_1_2")]
    [0.5, 0.0, 90.0]
    """

    _parameter_constraints: dict = {
        "fps": [Interval(Real, 0, None, closed="neither")],
        "angles": [list, None],
        "stats": [list, tuple],
        "covariance": ["boolean"],
    }

    def __init__(
        self, *, fps=30.0, angles=None, stats=("mean", "std"), covariance=True
    ):
        self.fps = fps
        self.angles = angles
        self.stats = stats
        self.covariance = covariance

    def _check_item(self, item, index):
        X = as_float_array(item, index, 3, "a skeleton sequence (T, n_joints, 2|3)")
        if X.shape[2] not in (2, 3):
            raise ValueError(
                f"Item {index} has {X.shape[2]} coordinates per joint; expected 2 or 3."
            )
        if hasattr(self, "n_joints_") and X.shape[1:] != (self.n_joints_, self.dim_):
            raise ValueError(
                f"Item {index} has poses of shape {X.shape[1:]}; the encoder was fitted "
                f"on {(self.n_joints_, self.dim_)}."
            )
        return X

    def _fit(self, items, y):
        self._stats = check_stats(self.stats)
        shape = items[0].shape[1:]
        for i, X in enumerate(items):
            if X.shape[1:] != shape:
                raise ValueError(
                    f"Present item {i} has poses of shape {X.shape[1:]}; "
                    f"the first has {shape}."
                )
        J = shape[0]
        for triplet in self.angles or []:
            if len(triplet) != 3 or any(
                not isinstance(j, Integral) or not 0 <= j < J for j in triplet
            ):
                raise ValueError(
                    f"angles: bad joint triplet {triplet!r} for {J} joints."
                )
        self.n_joints_, self.dim_ = shape
        return self

    def _describe(self, X):
        T, J, D = X.shape
        centroid = X.mean(axis=1)
        radius = np.linalg.norm(X - centroid[:, None], axis=-1)
        extent = X.max(axis=1) - X.min(axis=1)
        posture = [radius, extent, extent.prod(axis=1, keepdims=True)]
        for a, b, c in self.angles or []:
            u, v = X[:, a] - X[:, b], X[:, c] - X[:, b]
            cos = (u * v).sum(-1) / (
                np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1) + 1e-12
            )
            posture.append(np.degrees(np.arccos(np.clip(cos, -1, 1)))[:, None])
        row = [functionals(np.hstack(posture), self._stats)]
        vel = _finite_differences(X, self.fps, 1)
        row.append(vel.mean(axis=(0, 1)) if vel.size else np.zeros(D))
        for order in (1, 2, 3):
            mag = np.linalg.norm(_finite_differences(X, self.fps, order), axis=-1)
            row.append([mag.mean(), mag.std(), mag.max()] if mag.size else [0.0] * 3)
        if self.covariance:
            flat = X.reshape(T, J * D)
            cov = (
                np.cov(flat, rowvar=False, bias=True)
                if T > 1
                else np.zeros((J * D,) * 2)
            )
            row.append(cov[np.triu_indices(J * D)])
        return np.concatenate([np.asarray(r, dtype=float).ravel() for r in row])

    def _transform(self, items):
        return np.vstack([self._describe(X) for X in items])

    def _feature_names(self):
        axes = "xyz"[: self.dim_]
        posture = [f"radius_j{k}" for k in range(self.n_joints_)]
        posture += [f"extent_{a}" for a in axes] + ["bbox_volume"]
        posture += [f"angle_{a}_{b}_{c}" for a, b, c in self.angles or []]
        names = stat_names(self._stats, posture)
        names += [f"centroid_velocity_{a}" for a in axes]
        for what in ("speed", "acceleration", "jerk"):
            names += [f"{what}_mean", f"{what}_std", f"{what}_max"]
        if self.covariance:
            i, j = np.triu_indices(self.n_joints_ * self.dim_)
            names += [f"cov_{a}_{b}" for a, b in zip(i, j)]
        return names
