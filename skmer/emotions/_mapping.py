"""Mappings between categorical (CES) schemes and dimensional (DES) spaces.

CES -> DES places each category at a prototype point of valence, arousal and
dominance on ``[-1, 1]``. DES -> CES assigns a point to its nearest prototype,
with a confidence from a softmax over negative squared distances.

Sources of the prototype coordinates (``_SOURCES`` tags each entry):

* ``RM77`` -- Russell, J. A. & Mehrabian, A. (1977). Evidence for a three-factor
  theory of emotions. Journal of Research in Personality, 11, 273-294: the PAD
  values of the six basic emotions as commonly tabulated from that study
  (anger -.51/.59/.25, disgust -.60/.35/.11, fear -.64/.60/-.43, happiness
  .81/.51/.46, sadness -.63/-.27/-.33, surprise .40/.67/-.13).
* ``M96`` -- Mehrabian, A. (1996). Pleasure-arousal-dominance: A general framework
  for describing and measuring individual differences in temperament. Current
  Psychology, 14, 261-292; PAD values of further emotion terms as tabulated by
  Gebhard, P. (2005). ALMA - A layered model of affect. AAMAS, 29-36 (love
  .30/.10/.20, liking .40/.16/-.24, hope .20/.20/-.10, satisfaction .30/-.20/.40,
  gratification .60/.50/.40, admiration .50/.30/-.20).
* ``R80`` -- placed in the valence-arousal quadrant that Russell, J. A. (1980).
  A circumplex model of affect. Journal of Personality and Social Psychology,
  39(6), 1161-1178, gives the term, where neither table above lists it
  (amusement, awe, excitement); these are approximate and are the first
  entries to replace with lexicon norms such as Warriner, A. B., Kuperman, V. &
  Brysbaert, M. (2013), Behavior Research Methods 45, 1191-1207, when exact
  values matter.
* Sentiment classes sit on the valence axis (negative -0.5, neutral 0,
  positive 0.5), so nearest-prototype assignment is a valence threshold.

Pass ``coordinates={category: point}`` to use any other table.
"""

import numpy as np
from scipy.special import softmax

from skmer.emotions._models import (
    CategoricalEmotionModel,
    get_emotion_model,
    get_emotion_space,
)

_EKMAN = {
    "anger": (-0.51, 0.59, 0.25),
    "disgust": (-0.60, 0.35, 0.11),
    "fear": (-0.64, 0.60, -0.43),
    "happiness": (0.81, 0.51, 0.46),
    "sadness": (-0.63, -0.27, -0.33),
    "surprise": (0.40, 0.67, -0.13),
}
_NEUTRAL = (0.0, 0.0, 0.0)

_TABLES = {
    "binary_sentiment": {"negative": (-0.5, 0.0, 0.0), "positive": (0.5, 0.0, 0.0)},
    "ternary_sentiment": {
        "negative": (-0.5, 0.0, 0.0),
        "neutral": _NEUTRAL,
        "positive": (0.5, 0.0, 0.0),
    },
    "ekman": dict(_EKMAN),
    "mikels": {
        "amusement": (0.45, 0.25, 0.10),
        "anger": _EKMAN["anger"],
        "awe": (0.40, 0.55, -0.35),
        "contentment": (0.30, -0.20, 0.40),
        "disgust": _EKMAN["disgust"],
        "excitement": (0.60, 0.75, 0.35),
        "fear": _EKMAN["fear"],
        "sadness": _EKMAN["sadness"],
    },
    "plutchik": {
        "joy": _EKMAN["happiness"],
        "trust": (0.40, 0.16, -0.24),
        "fear": _EKMAN["fear"],
        "surprise": _EKMAN["surprise"],
        "sadness": _EKMAN["sadness"],
        "disgust": _EKMAN["disgust"],
        "anger": _EKMAN["anger"],
        "anticipation": (0.20, 0.20, -0.10),
    },
    "parrott": {
        "love": (0.30, 0.10, 0.20),
        "joy": _EKMAN["happiness"],
        "surprise": _EKMAN["surprise"],
        "anger": _EKMAN["anger"],
        "sadness": _EKMAN["sadness"],
        "fear": _EKMAN["fear"],
    },
}

_SOURCES = {
    **{("ekman", c): "RM77" for c in _EKMAN},
    ("mikels", "amusement"): "R80",
    ("mikels", "awe"): "R80",
    ("mikels", "excitement"): "R80",
    ("mikels", "contentment"): "M96 (satisfaction)",
    ("plutchik", "trust"): "M96 (liking)",
    ("plutchik", "anticipation"): "M96 (hope)",
    ("parrott", "love"): "M96 (love)",
}

# Plutchik's cone: intensity is the distance from the neutral centre. Mild
# terms sit at half, intense ones at 1.5 times the basic prototype (clipped to
# the space); a modelling choice, not a published value.
_INTENSITY_SCALE = {1: 0.5, 2: 1.0, 3: 1.5}


def default_coordinates(model, level=None):
    """The built-in VAD prototype of every category of a scheme.

    Parameters
    ----------
    model : str or CategoricalEmotionModel
        A built-in scheme (see :func:`get_emotion_model`).
    level : str, default=None
        Level of the categories; None uses the scheme's finest level, except for
        Parrott's tree, whose prototypes are given at the primary level (finer
        levels inherit their primary's point). Plutchik's intensity terms scale
        their primary's point by 0.5 (mild), 1 or 1.5 (intense).

    Returns
    -------
    coordinates : dict of str to tuple of 3 float
        ``{category: (valence, arousal, dominance)}`` on ``[-1, 1]``.

    Examples
    --------
    >>> from skmer.emotions import default_coordinates
    >>> default_coordinates("ekman")["anger"]
    (-0.51, 0.59, 0.25)
    >>> default_coordinates("plutchik")["serenity"]
    (0.405, 0.255, 0.23)
    """
    m = get_emotion_model(model)
    if m.name not in _TABLES or _MODELS_BY_NAME.get(m.name) is not m:
        raise ValueError(
            f"There is no built-in coordinate table for the scheme {m.name!r}; pass "
            "coordinates={category: (valence, arousal, dominance)}."
        )
    table = _TABLES[m.name]
    if m.name == "parrott":
        level = "primary" if level is None else level
        names = m.names(level)
        primary = m.coarsen(names, "primary", from_level=level)
        return {n: table[p] for n, p in zip(names, primary)}
    if m.name == "plutchik" and (level is None or level == "intensity"):
        out = {}
        for term, i in m.intensities.items():
            base = np.asarray(table[m.coarsen([term], "primary")[0]])
            out[term] = tuple(
                float(v)
                for v in np.round(np.clip(base * _INTENSITY_SCALE[i], -1, 1), 4)
            )
        return out
    if level not in (None, m.level_names[0], "primary"):
        raise ValueError(f"level={level!r} has no coordinate table in {m.name!r}.")
    return dict(table)


_MODELS_BY_NAME = {name: get_emotion_model(name) for name in _TABLES}


class EmotionMapping:
    """Map emotion categories to points of a DES space and back.

    CES -> DES gives each category its prototype point; DES -> CES gives a point
    the category of its nearest prototype, with a confidence: the softmax of
    ``-distance**2 / temperature`` over the prototypes (1 at a prototype far from
    the others, 1/n_categories where all are equally near).

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    model : str or CategoricalEmotionModel, default="ekman"
        The categorical scheme (see :func:`get_emotion_model`).
    space : {"va", "vad"} or DimensionalEmotionSpace, default="vad"
        The dimensional space; ``"va"`` uses the first two coordinates.
    coordinates : dict of str to array-like, default=None
        ``{category: point}`` overriding the built-in table (required for
        schemes without one). Points have ``space.n_dims`` values, or 3 values
        (valence, arousal, dominance) that are cut to the space.
    level : str, default=None
        Level of the scheme's categories (see :func:`default_coordinates`).
    temperature : float, default=0.1
        Softness of the confidence of DES -> CES.

    Attributes
    ----------
    categories : ndarray of str
        The categories, in the order of :attr:`prototypes`.
    prototypes : ndarray of shape (n_categories, n_dims)
        Their points.

    See Also
    --------
    default_coordinates : the built-in, cited coordinate tables.

    Examples
    --------
    >>> from skmer.emotions import EmotionMapping
    >>> mapping = EmotionMapping("ekman", space="vad")
    >>> mapping.to_dimensions(["anger"]).tolist()
    [[-0.51, 0.59, 0.25]]
    >>> labels, confidence = mapping.to_categories([[-0.5, 0.6, 0.2]])
    >>> labels.tolist(), bool(confidence[0] > 0.5)
    (['anger'], True)
    """

    def __init__(
        self,
        model="ekman",
        *,
        space="vad",
        coordinates=None,
        level=None,
        temperature=0.1,
    ):
        self.model = get_emotion_model(model) if isinstance(model, str) else model
        self.space = get_emotion_space(space)
        if not (isinstance(temperature, int | float) and temperature > 0):
            raise ValueError(
                f"temperature must be a positive number; got {temperature!r}."
            )
        self.temperature = float(temperature)
        if coordinates is None:
            if not isinstance(self.model, CategoricalEmotionModel):
                raise ValueError("coordinates are required when model is not a scheme.")
            coordinates = default_coordinates(self.model, level)
        if not coordinates:
            raise ValueError("coordinates must name at least one category.")
        self.categories = np.asarray(list(coordinates), dtype=object)
        protos = []
        for cat, point in coordinates.items():
            p = np.asarray(point, dtype=float).ravel()
            if p.size == 3 and self.space.n_dims < 3:
                p = p[: self.space.n_dims]
            if p.size != self.space.n_dims or not np.all(np.isfinite(p)):
                raise ValueError(
                    f"coordinates[{cat!r}] must be {self.space.n_dims} finite values "
                    f"for the space {self.space.dimensions}; got {point!r}."
                )
            protos.append(p)
        self.prototypes = np.vstack(protos)
        self._index = {c: i for i, c in enumerate(coordinates)}

    def to_dimensions(self, labels):
        """CES -> DES: the prototype point of each label.

        Parameters
        ----------
        labels : array-like of shape (n_samples,)

        Returns
        -------
        points : ndarray of shape (n_samples, n_dims)
        """
        labels = np.asarray(labels, dtype=object).ravel()
        unknown = sorted({str(lab) for lab in labels if lab not in self._index})
        if unknown:
            raise ValueError(
                f"Labels {unknown[:5]} have no coordinates; known categories: "
                f"{self.categories.tolist()[:12]}."
            )
        return self.prototypes[[self._index[lab] for lab in labels]]

    def _check_distinct(self):
        _, counts = np.unique(self.prototypes.round(12), axis=0, return_counts=True)
        if np.any(counts > 1):
            raise ValueError(
                "Several categories share one prototype point, so DES -> CES cannot "
                "tell them apart; map to a coarser level (e.g. level='primary')."
            )

    def predict_proba(self, points):
        """Softmax of ``-distance**2 / temperature`` over the prototypes.

        Parameters
        ----------
        points : array-like of shape (n_samples, n_dims)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_categories)
            Columns in the order of :attr:`categories`.
        """
        self._check_distinct()
        points = self.space.check(points)
        d2 = ((points[:, None, :] - self.prototypes[None]) ** 2).sum(axis=-1)
        return softmax(-d2 / self.temperature, axis=1)

    def to_categories(self, points):
        """DES -> CES: nearest prototype of each point and its confidence.

        Parameters
        ----------
        points : array-like of shape (n_samples, n_dims)

        Returns
        -------
        labels : ndarray of str, shape (n_samples,)
        confidence : ndarray of shape (n_samples,)
            The softmax weight of the nearest prototype.
        """
        proba = self.predict_proba(points)
        best = proba.argmax(axis=1)
        return self.categories[best], proba[np.arange(len(best)), best]


def category_to_dimensions(
    labels, model="ekman", *, space="vad", coordinates=None, level=None
):
    """CES -> DES: the prototype point of each category label.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
    model, space, coordinates, level
        See :class:`EmotionMapping`.

    Returns
    -------
    points : ndarray of shape (n_samples, n_dims)

    Examples
    --------
    >>> from skmer.emotions import category_to_dimensions
    >>> category_to_dimensions(["sadness", "happiness"], "ekman", space="va").tolist()
    [[-0.63, -0.27], [0.81, 0.51]]
    """
    return EmotionMapping(
        model, space=space, coordinates=coordinates, level=level
    ).to_dimensions(labels)


def dimensions_to_category(
    points, model="ekman", *, space="vad", coordinates=None, level=None, temperature=0.1
):
    """DES -> CES: nearest-prototype category of each point, with a confidence.

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dims)
    model, space, coordinates, level, temperature
        See :class:`EmotionMapping`.

    Returns
    -------
    labels : ndarray of str, shape (n_samples,)
    confidence : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from skmer.emotions import dimensions_to_category
    >>> labels, conf = dimensions_to_category([[0.7, 0.3]], "ternary_sentiment", space="va")
    >>> labels.tolist()
    ['positive']
    """
    return EmotionMapping(
        model,
        space=space,
        coordinates=coordinates,
        level=level,
        temperature=temperature,
    ).to_categories(points)
