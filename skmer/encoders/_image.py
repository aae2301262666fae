"""Image encoders: colour, texture and composition descriptors; torch feature extractors."""

import copy
import os
from numbers import Integral, Real

import numpy as np

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import as_float_array
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import HasMethods, Interval

_GROUPS = ("colour", "texture", "composition")
_GLCM_PROPS = ("contrast", "dissimilarity", "homogeneity", "energy", "correlation")
COLOUR_FEATURES = (
    "hue_cos",
    "hue_sin",
    "saturation_mean",
    "saturation_std",
    "value_mean",
    "value_std",
    "colourfulness",
    "brightness",
    "pleasure",
    "arousal",
    "dominance",
)
COMPOSITION_FEATURES = (
    "thirds_saturation",
    "thirds_value",
    "symmetry_lr",
    "symmetry_tb",
    "edge_density",
)


def read_image(item, index):
    """An ``(H, W)`` or ``(H, W, 3)`` float image in ``[0, 1]`` from an array or path."""
    if isinstance(item, str | os.PathLike):
        io = import_optional("skimage.io", "image")
        if not os.path.exists(item):
            raise ValueError(f"Item {index}: image file {str(item)!r} does not exist.")
        item = io.imread(item)
    raw = np.asarray(item)
    img = as_float_array(raw, index, (2, 3), "an image (H, W) or (H, W, 3|4)")
    if img.ndim == 3:
        if img.shape[2] == 4:
            img = img[..., :3]
        elif img.shape[2] == 1:
            img = img[..., 0]
        elif img.shape[2] != 3:
            raise ValueError(
                f"Item {index} has {img.shape[2]} channels; expected 1, 3 or 4."
            )
    if min(img.shape[:2]) < 3:
        raise ValueError(f"Item {index} is only {img.shape[0]}x{img.shape[1]} pixels.")
    return to_unit_range(img, raw.dtype, index, "images")


def to_unit_range(img, dtype, index, what):
    """Scale pixel values to ``[0, 1]`` by their dtype, never by their content.

    ``uint16`` is read as 16-bit, every other integer type as 8-bit; values
    outside the dtype's range, or floats outside ``[0, 1]``, are an error.
    """
    if np.issubdtype(dtype, np.integer):
        scale = 65535.0 if dtype == np.uint16 else 255.0
        if img.min() < 0 or img.max() > scale:
            raise ValueError(
                f"Item {index}: integer {what} must hold values in [0, {scale:g}] "
                f"({dtype} is read as {16 if scale > 255 else 8}-bit); got values in "
                f"[{img.min():.6g}, {img.max():.6g}]. Pass uint16 for 16-bit data or "
                "floats in [0, 1]."
            )
        return img / scale
    if img.max() > 1.0 or img.min() < 0.0:
        raise ValueError(
            f"Item {index}: float {what} must lie in [0, 1]; got values in "
            f"[{img.min():.3g}, {img.max():.3g}]."
        )
    return img


def _rgb(img):
    return np.repeat(img[..., None], 3, axis=2) if img.ndim == 2 else img


def colour_features(img):
    """HSV statistics, colourfulness and Valdez-Mehrabian pleasure-arousal-dominance."""
    color = import_optional("skimage.color", "image")
    rgb = _rgb(img)
    hsv = color.rgb2hsv(rgb)
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    angle = 2 * np.pi * h
    weight = s.sum()
    hue_cos = float((s * np.cos(angle)).sum() / weight) if weight > 0 else 0.0
    hue_sin = float((s * np.sin(angle)).sum() / weight) if weight > 0 else 0.0
    r, g, b = (255 * rgb[..., k] for k in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    colourfulness = np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())
    brightness, saturation = v.mean(), s.mean()
    return [
        hue_cos,
        hue_sin,
        saturation,
        s.std(),
        brightness,
        v.std(),
        colourfulness / 255,
        float(color.rgb2gray(rgb).mean()),
        0.69 * brightness + 0.22 * saturation,
        -0.31 * brightness + 0.60 * saturation,
        -0.76 * brightness + 0.32 * saturation,
    ]


def texture_features(img, *, distances, n_angles, levels, lbp_points, lbp_radius):
    """GLCM properties (averaged over angles) per distance, and the uniform LBP histogram."""
    feature = import_optional("skimage.feature", "image")
    color = import_optional("skimage.color", "image")
    grey = color.rgb2gray(img) if img.ndim == 3 else img
    quant = np.minimum((grey * levels).astype(np.uint8), levels - 1)
    angles = np.arange(n_angles) * np.pi / n_angles
    glcm = feature.graycomatrix(
        quant, distances, angles, levels=levels, symmetric=True, normed=True
    )
    out = []
    for prop in _GLCM_PROPS:
        vals = feature.graycoprops(glcm, prop).mean(axis=1)
        out.extend(np.nan_to_num(vals, nan=1.0) if prop == "correlation" else vals)
    lbp = feature.local_binary_pattern(
        (grey * 255).astype(np.uint8), lbp_points, lbp_radius, method="uniform"
    )
    hist, _ = np.histogram(lbp, bins=np.arange(lbp_points + 3) - 0.5)
    out.extend(hist / hist.sum())
    return out


def composition_features(img, *, edge_sigma):
    """Rule of thirds, mirror symmetry and Canny edge density."""
    feature = import_optional("skimage.feature", "image")
    color = import_optional("skimage.color", "image")
    rgb = _rgb(img)
    hsv = color.rgb2hsv(rgb)
    grey = color.rgb2gray(rgb)
    H, W = grey.shape
    inner = (
        slice(H // 3, max(H // 3 + 1, 2 * H // 3)),
        slice(W // 3, max(W // 3 + 1, 2 * W // 3)),
    )
    edges = feature.canny(grey, sigma=edge_sigma)
    return [
        hsv[..., 1][inner].mean(),
        hsv[..., 2][inner].mean(),
        1.0 - np.abs(grey - grey[:, ::-1]).mean(),
        1.0 - np.abs(grey - grey[::-1, :]).mean(),
        edges.mean(),
    ]


class ImageEncoder(BaseModalityEncoder):
    """Colour, texture and composition descriptors of images (scikit-image).

    The hand-crafted affective image features of Machajdik & Hanbury (2010).
    Each item is an image ``(H, W)`` (grey) or ``(H, W, 3|4)`` (RGB[A]),
    ``uint8`` (or another integer type) in ``[0, 255]``, ``uint16`` in
    ``[0, 65535]`` or float in ``[0, 1]``, or an image file path; sizes may
    differ between items.

    Features, by group:

    * ``colour``: saturation-weighted circular hue mean ``hue_cos``/``hue_sin``,
      ``saturation_mean``/``_std``, ``value_mean``/``_std`` (HSV),
      ``colourfulness`` (Hasler & Suesstrunk 2003, scaled by 1/255),
      ``brightness`` (mean luminance), and Valdez & Mehrabian's (1994)
      ``pleasure`` = 0.69 V + 0.22 S, ``arousal`` = -0.31 V + 0.60 S,
      ``dominance`` = -0.76 V + 0.32 S (V, S: mean value and saturation);
    * ``texture``: GLCM ``contrast``, ``dissimilarity``, ``homogeneity``,
      ``energy``, ``correlation`` per distance (``glcm_<prop>_d<d>``, averaged
      over ``glcm_angles`` directions, grey levels quantised to
      ``grey_levels``) and the normalised histogram of uniform LBP codes
      (``lbp_<k>``, ``lbp_points + 2`` bins);
    * ``composition``: mean saturation and value of the central
      rule-of-thirds cell (``thirds_saturation``, ``thirds_value``),
      left-right and top-bottom mirror symmetry (``symmetry_lr``,
      ``symmetry_tb``: 1 - mean absolute grey difference) and the Canny
      ``edge_density``.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    features : list of {"colour", "texture", "composition"}, default=None
        Groups to compute; None computes all three.
    glcm_distances : list of int, default=(1, 3)
        GLCM pixel offsets.
    glcm_angles : int, default=4
        Number of GLCM directions in ``[0, pi)``.
    grey_levels : int, default=32
        Grey levels of the GLCM.
    lbp_points : int, default=8
        LBP neighbours.
    lbp_radius : float, default=1.0
        LBP radius.
    edge_sigma : float, default=1.0
        Gaussian width of the Canny detector.

    Attributes
    ----------
    features_ : tuple of str
        Groups computed.
    n_features_out_ : int
        Number of output features.

    See Also
    --------
    VideoEncoder : these descriptors pooled over video frames.
    TorchFeatureExtractor : a pretrained network as image encoder.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import ImageEncoder
    >>> rng = np.random.RandomState(0)
    >>> img = rng.uniform(size=(32, 40, 3))
    >>> Z = ImageEncoder(features=["colour"]).fit_transform([img, None])
    >>> Z.shape
    (2, 11)
    """

    _parameter_constraints: dict = {
        "features": [list, tuple, None],
        "glcm_distances": [list, tuple],
        "glcm_angles": [Interval(Integral, 1, None, closed="left")],
        "grey_levels": [Interval(Integral, 2, 256, closed="both")],
        "lbp_points": [Interval(Integral, 1, None, closed="left")],
        "lbp_radius": [Interval(Real, 0, None, closed="neither")],
        "edge_sigma": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        features=None,
        glcm_distances=(1, 3),
        glcm_angles=4,
        grey_levels=32,
        lbp_points=8,
        lbp_radius=1.0,
        edge_sigma=1.0,
    ):
        self.features = features
        self.glcm_distances = glcm_distances
        self.glcm_angles = glcm_angles
        self.grey_levels = grey_levels
        self.lbp_points = lbp_points
        self.lbp_radius = lbp_radius
        self.edge_sigma = edge_sigma

    def _check_item(self, item, index):
        return read_image(item, index)

    def _fit(self, items, y):
        self.features_ = _check_groups(self.features)
        if (
            not self.glcm_distances
            or any(not isinstance(d, Integral) or d < 1 for d in self.glcm_distances)
            or len(set(self.glcm_distances)) != len(self.glcm_distances)
        ):
            raise ValueError(
                "glcm_distances must be distinct positive integers; got "
                f"{self.glcm_distances!r}."
            )
        import_optional("skimage", "image")
        return self

    def _describe(self, img):
        out = []
        if "colour" in self.features_:
            out += colour_features(img)
        if "texture" in self.features_:
            out += texture_features(
                img,
                distances=list(self.glcm_distances),
                n_angles=self.glcm_angles,
                levels=self.grey_levels,
                lbp_points=self.lbp_points,
                lbp_radius=self.lbp_radius,
            )
        if "composition" in self.features_:
            out += composition_features(img, edge_sigma=self.edge_sigma)
        return np.asarray(out, dtype=float)

    def _transform(self, items):
        return np.vstack([self._describe(img) for img in items])

    def _feature_names(self):
        names = []
        if "colour" in self.features_:
            names += list(COLOUR_FEATURES)
        if "texture" in self.features_:
            names += [
                f"glcm_{p}_d{d}" for p in _GLCM_PROPS for d in self.glcm_distances
            ]
            names += [f"lbp_{k}" for k in range(self.lbp_points + 2)]
        if "composition" in self.features_:
            names += list(COMPOSITION_FEATURES)
        return names


def _check_groups(features, param="features"):
    groups = _GROUPS if features is None else tuple(features)
    bad = [g for g in groups if g not in _GROUPS]
    if bad or not groups or len(set(groups)) != len(groups):
        raise ValueError(
            f"{param} must be distinct groups among {list(_GROUPS)}; got {features!r}."
        )
    return groups


class TorchFeatureExtractor(BaseModalityEncoder):
    """Any torch module as a frozen image feature extractor.

    Each image (``(H, W)`` or ``(H, W, 3)``, ``uint8`` or float in ``[0, 1]``,
    or a file path) is resized to ``input_size`` (scikit-image), standardised
    with ``mean``/``std`` per channel, passed through ``module`` in eval mode
    without gradients, and its output flattened. Use it with a pretrained
    backbone you hold locally (e.g. a torchvision ResNet with its final layer
    replaced by ``torch.nn.Identity()``); skmer downloads nothing.

    Features: ``emb0 ... emb{d-1}``, the flattened module output.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    module : torch.nn.Module
        Maps a float tensor ``(batch, 3, H, W)`` to features.
    input_size : tuple of int, default=(224, 224)
        ``(H, W)`` images are resized to.
    mean, std : tuple of float, default=ImageNet statistics
        Per-channel standardisation after scaling to ``[0, 1]``.
    batch_size : int, default=16
        Images per forward pass.
    device : str, default="cpu"
        Torch device.

    Attributes
    ----------
    module_ : torch.nn.Module
        A copy of ``module``, in eval mode on ``device``, made at fit: the
        ``module`` you pass is never put in eval mode or moved, and changing it
        after fit does not change the fitted encoder.
    dim_ : int
        Output dimension.
    n_features_out_ : int
        Equal to ``dim_``.

    See Also
    --------
    ImageEncoder : hand-crafted affective image features.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skmer.encoders import TorchFeatureExtractor
    >>> net = torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
    >>> enc = TorchFeatureExtractor(net, input_size=(16, 16))
    >>> enc.fit_transform([np.ones((20, 30, 3)), None]).shape
    (2, 3)
    """

    _parameter_constraints: dict = {
        "module": [HasMethods(["forward", "eval"])],
        "input_size": [tuple, list],
        "mean": [tuple, list],
        "std": [tuple, list],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [str],
    }

    def __init__(
        self,
        module,
        *,
        input_size=(224, 224),
        mean=(0.485, 0.456, 0.406),
        std=(0.229, 0.224, 0.225),
        batch_size=16,
        device="cpu",
    ):
        self.module = module
        self.input_size = input_size
        self.mean = mean
        self.std = std
        self.batch_size = batch_size
        self.device = device

    def _check_item(self, item, index):
        size = tuple(self.input_size)
        if len(size) != 2 or not all(isinstance(v, Integral) and v >= 1 for v in size):
            raise ValueError(
                f"input_size must be (height, width), two positive integers; got "
                f"{self.input_size!r}."
            )
        transform = import_optional("skimage.transform", "image")
        img = _rgb(read_image(item, index))
        return transform.resize(img, tuple(self.input_size), anti_aliasing=True)

    def _fit(self, items, y):
        if len(self.mean) != 3 or len(self.std) != 3 or min(self.std) <= 0:
            raise ValueError("mean and std must hold 3 values, std positive.")
        # a copy: eval mode and the device are set on it, never on ``module``
        self.module_ = copy.deepcopy(self.module).eval().to(self.device)
        self.dim_ = self._embed(items[:1]).shape[1]
        return self

    def _embed(self, images):
        torch = import_optional("torch", "nn")
        mean = np.asarray(self.mean, dtype=np.float32)[:, None, None]
        std = np.asarray(self.std, dtype=np.float32)[:, None, None]
        out = []
        with torch.no_grad():
            for start in range(0, len(images), self.batch_size):
                batch = np.stack(
                    [
                        (img.transpose(2, 0, 1).astype(np.float32) - mean) / std
                        for img in images[start : start + self.batch_size]
                    ]
                )
                Z = self.module_(torch.from_numpy(batch).to(self.device))
                out.append(Z.reshape(Z.shape[0], -1).cpu().numpy().astype(float))
        return np.vstack(out)

    def _transform(self, items):
        return self._embed(items)

    def _feature_names(self):
        return [f"emb{i}" for i in range(self.dim_)]
