"""Video encoder: pooled frame descriptors, motion energy, optical flow, shot cuts."""

from numbers import Integral, Real

import numpy as np

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import as_float_array
from skmer.encoders._image import ImageEncoder, _check_groups, to_unit_range
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import Interval

MOTION_FEATURES = (
    "motion_energy_mean",
    "motion_energy_std",
    "motion_energy_max",
    "flow_magnitude_mean",
    "flow_magnitude_std",
    "flow_magnitude_max",
    "shot_cut_rate",
    "n_shots",
    "duration",
)


def _grey(frames):
    if frames.ndim == 4:
        return frames @ np.array([0.2125, 0.7154, 0.0721])
    return frames


class VideoEncoder(BaseModalityEncoder):
    """Frame descriptors pooled over time, motion and editing rhythm of videos.

    Each item is a clip of frames ``(T, H, W)`` (grey) or ``(T, H, W, 3)``
    (RGB), ``uint8`` in ``[0, 255]``, ``uint16`` in ``[0, 65535]`` or float in
    ``[0, 1]``; lengths and sizes may differ between clips. Every ``frame_step``-th frame is described with
    :class:`ImageEncoder` (groups ``image_features``) and the descriptors are
    pooled with their mean and standard deviation over time.

    Features: ``mean_<descriptor>`` and ``std_<descriptor>`` of the frame
    descriptors, then ``motion_energy_mean``/``_std``/``_max`` (mean absolute
    grey difference of consecutive sampled frames), ``flow_magnitude_mean``/
    ``_std``/``_max`` (mean optical-flow magnitude per frame pair in pixels,
    scikit-image's iterative Lucas-Kanade with 3 warps, when ``optical_flow=True``; zeros
    otherwise), ``shot_cut_rate`` (cuts per second: consecutive frames whose
    grey-level histograms differ by more than ``cut_threshold`` in total
    variation distance), ``n_shots`` and ``duration`` (seconds at ``fps``).

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    fps : float, default=25.0
        Frame rate of the clips.
    frame_step : int, default=1
        Describe every ``frame_step``-th frame (motion and cuts use the same
        frames).
    image_features : list of {"colour", "texture", "composition"}, default=("colour",)
        :class:`ImageEncoder` groups computed per frame.
    optical_flow : bool, default=True
        Compute the optical-flow magnitude.
    cut_threshold : float, default=0.5
        Histogram distance in ``(0, 1]`` above which a frame change is a cut.

    Attributes
    ----------
    frame_encoder_ : ImageEncoder
        The fitted per-frame encoder.
    n_features_out_ : int
        Number of output features.

    See Also
    --------
    ImageEncoder : the per-frame descriptors.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import VideoEncoder
    >>> rng = np.random.RandomState(0)
    >>> clip = rng.uniform(size=(6, 16, 16, 3))
    >>> enc = VideoEncoder(fps=6).fit([clip, None])
    >>> enc.transform([clip]).shape
    (1, 31)
    """

    _parameter_constraints: dict = {
        "fps": [Interval(Real, 0, None, closed="neither")],
        "frame_step": [Interval(Integral, 1, None, closed="left")],
        "image_features": [list, tuple],
        "optical_flow": ["boolean"],
        "cut_threshold": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(
        self,
        *,
        fps=25.0,
        frame_step=1,
        image_features=("colour",),
        optical_flow=True,
        cut_threshold=0.5,
    ):
        self.fps = fps
        self.frame_step = frame_step
        self.image_features = image_features
        self.optical_flow = optical_flow
        self.cut_threshold = cut_threshold

    def _check_item(self, item, index):
        raw = np.asarray(item)
        frames = as_float_array(raw, index, (3, 4), "frames (T, H, W) or (T, H, W, 3)")
        if frames.ndim == 4 and frames.shape[3] != 3:
            raise ValueError(
                f"Item {index} has {frames.shape[3]} channels; expected 3."
            )
        frames = to_unit_range(frames, raw.dtype, index, "frames")
        # the sampled frames, and the clip's own duration in seconds
        return frames[:: self.frame_step], frames.shape[0] / self.fps

    def _fit(self, items, y):
        _check_groups(self.image_features, "image_features")
        self.frame_encoder_ = ImageEncoder(features=list(self.image_features))
        self.frame_encoder_.fit([items[0][0][0]])
        return self

    def _motion(self, frames, duration):
        grey = _grey(frames)
        T = grey.shape[0]
        if T < 2:
            return [0.0] * 6 + [0.0, 1.0, duration]
        energy = np.abs(np.diff(grey, axis=0)).mean(axis=(1, 2))
        flow = np.zeros(T - 1)
        if self.optical_flow:
            registration = import_optional("skimage.registration", "image")
            for t in range(T - 1):
                v, u = registration.optical_flow_ilk(
                    grey[t], grey[t + 1], radius=3, num_warp=3
                )
                flow[t] = np.hypot(v, u).mean()
        bins = np.linspace(0, 1, 33)
        hists = np.stack([np.histogram(g, bins=bins)[0] / g.size for g in grey])
        tv = 0.5 * np.abs(np.diff(hists, axis=0)).sum(axis=1)
        n_cuts = int((tv > self.cut_threshold).sum())
        return [
            energy.mean(),
            energy.std(),
            energy.max(),
            flow.mean(),
            flow.std(),
            flow.max(),
            n_cuts / duration,
            n_cuts + 1.0,
            duration,
        ]

    def _transform(self, items):
        rows = []
        for frames, duration in items:
            F = self.frame_encoder_.transform(list(frames))
            rows.append(
                np.concatenate(
                    [F.mean(axis=0), F.std(axis=0), self._motion(frames, duration)]
                )
            )
        return np.vstack(rows)

    def _feature_names(self):
        names = list(self.frame_encoder_.get_feature_names_out())
        return (
            [f"mean_{n}" for n in names]
            + [f"std_{n}" for n in names]
            + list(MOTION_FEATURES)
        )
