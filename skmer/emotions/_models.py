"""Psychological emotion models: categorical (CES) schemes and dimensional (DES) spaces.

A categorical emotion state (CES) scheme is a finite set of emotion names with
a polarity per name and, for some schemes, a hierarchy (Parrott's tree) or
intensity levels (Plutchik's wheel). A dimensional emotion space (DES) is a
continuous space of valence (pleasure), arousal and optionally dominance.
"""

import numpy as np

POLARITIES = ("negative", "neutral", "positive")


class CategoricalEmotionModel:
    """A categorical emotion state (CES) scheme.

    Holds the category names of one scheme, the polarity of each, and an
    optional hierarchy: ``levels`` runs from the finest level to the coarsest,
    and ``parents[level]`` maps each name of ``level`` to its parent one level
    up. The coarsest level is always ``"polarity"``.

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    name : str
        Name of the scheme, e.g. ``"ekman"``.
    levels : dict of str to dict of str to str
        Ordered ``{level: {category: parent}}`` from the finest level to the
        level just below ``"polarity"``; each category's parent is a name of
        the next level (for the last level, a polarity).
    intensities : dict of str to int, default=None
        Intensity level (1 = mild, 2 = basic, 3 = intense) of each finest-level
        category, for schemes with intensities (Plutchik).
    reference : str, default=""
        The publication that defines the scheme.

    Attributes
    ----------
    categories : tuple of str
        Names of the finest level.
    level_names : tuple of str
        The levels, finest first, ending with ``"polarity"``.

    See Also
    --------
    get_emotion_model : the built-in schemes by name.
    DimensionalEmotionSpace : continuous valence-arousal(-dominance) spaces.

    Examples
    --------
    >>> from skmer.emotions import get_emotion_model
    >>> ekman = get_emotion_model("ekman")
    >>> ekman.categories
    ('anger', 'disgust', 'fear', 'happiness', 'sadness', 'surprise')
    >>> ekman.polarity(["anger", "happiness"]).tolist()
    ['negative', 'positive']
    """

    def __init__(self, name, levels, *, intensities=None, reference=""):
        self.name = name
        self.reference = reference
        self._levels = {lvl: dict(m) for lvl, m in levels.items()}
        names = list(self._levels)
        for lower, upper in zip(names, names[1:]):
            unknown = set(self._levels[lower].values()) - set(self._levels[upper])
            if unknown:
                raise ValueError(
                    f"Level {lower!r} of {name!r} has parents {sorted(unknown)} that "
                    f"are not names of level {upper!r}."
                )
        last = self._levels[names[-1]]
        bad = set(last.values()) - set(POLARITIES)
        if bad:
            raise ValueError(
                f"Polarities of {name!r} must be in {POLARITIES}; got {bad}."
            )
        self.intensities = None if intensities is None else dict(intensities)
        self.categories = tuple(self._levels[names[0]])
        self.level_names = (*names, "polarity")

    def __repr__(self):
        return (
            f"CategoricalEmotionModel({self.name!r}, {len(self.categories)} categories, "
            f"levels={self.level_names})"
        )

    def names(self, level=None):
        """Category names of one level (default: the finest).

        Parameters
        ----------
        level : str, default=None
            One of :attr:`level_names`.

        Returns
        -------
        names : tuple of str
        """
        level = self.level_names[0] if level is None else level
        self._check_level(level, "level")
        if level == "polarity":
            return tuple(
                p
                for p in POLARITIES
                if p in set(self.coarsen(self.categories, "polarity"))
            )
        return tuple(self._levels[level])

    def _check_level(self, level, param):
        if level not in self.level_names:
            raise ValueError(
                f"{param}={level!r} is not a level of {self.name!r}; its levels are "
                f"{self.level_names}."
            )

    def coarsen(self, labels, level="polarity", *, from_level=None):
        """Map category names to their ancestors at a coarser level.

        Parameters
        ----------
        labels : array-like of str
            Names at ``from_level``.
        level : str, default="polarity"
            Target level (coarser than or equal to ``from_level``).
        from_level : str, default=None
            Level of ``labels``; None uses the finest level.

        Returns
        -------
        coarse : ndarray of str
            The ancestor of each label at ``level``.

        Examples
        --------
        >>> from skmer.emotions import get_emotion_model
        >>> parrott = get_emotion_model("parrott")
        >>> parrott.coarsen(["glee", "dread"], "secondary").tolist()
        ['cheerfulness', 'nervousness']
        >>> parrott.coarsen(["glee", "dread"], "primary").tolist()
        ['joy', 'fear']
        """
        from_level = self.level_names[0] if from_level is None else from_level
        self._check_level(level, "level")
        self._check_level(from_level, "from_level")
        start, stop = self.level_names.index(from_level), self.level_names.index(level)
        if stop < start:
            raise ValueError(
                f"level={level!r} is finer than from_level={from_level!r}; coarsen "
                "maps towards the coarser levels only."
            )
        out = []
        for label in np.asarray(labels, dtype=object).ravel():
            cur = label
            for lvl in self.level_names[start:stop]:
                if cur not in self._levels[lvl]:
                    raise ValueError(
                        f"{label!r} is not a {lvl!r}-level category of {self.name!r}; "
                        f"known: {sorted(self._levels[lvl])[:12]}..."
                    )
                cur = self._levels[lvl][cur]
            out.append(cur)
        return np.asarray(out, dtype=object)

    def polarity(self, labels, *, from_level=None):
        """Polarity (``"negative"``, ``"neutral"``, ``"positive"``) of labels.

        Parameters
        ----------
        labels : array-like of str
        from_level : str, default=None
            Level of ``labels``; None uses the finest level.

        Returns
        -------
        polarity : ndarray of str
        """
        return self.coarsen(labels, "polarity", from_level=from_level)

    def intensity(self, labels):
        """Intensity level (1 mild, 2 basic, 3 intense) of finest-level labels.

        Parameters
        ----------
        labels : array-like of str

        Returns
        -------
        intensity : ndarray of int

        Examples
        --------
        >>> from skmer.emotions import get_emotion_model
        >>> get_emotion_model("plutchik").intensity(["serenity", "joy", "ecstasy"])
        array([1, 2, 3])
        """
        if self.intensities is None:
            raise ValueError(f"The {self.name!r} scheme has no intensity levels.")
        labels = np.asarray(labels, dtype=object).ravel()
        unknown = [lab for lab in labels if lab not in self.intensities]
        if unknown:
            raise ValueError(f"Unknown {self.name!r} categories: {unknown[:5]}.")
        return np.array([self.intensities[lab] for lab in labels], dtype=int)


class DimensionalEmotionSpace:
    """A dimensional emotion state (DES) space: valence, arousal(, dominance).

    Coordinates live on ``[-1, 1]`` per dimension (0 = neutral), the convention
    of Russell (1980) and of Mehrabian's PAD scales; :meth:`rescale` maps
    ratings from any scale (SAM's 1-9, a 0-1 slider) onto it.

    Parameters
    ----------
    dimensions : tuple of str
        Dimension names, e.g. ``("valence", "arousal")``.

    Attributes
    ----------
    n_dims : int
        Number of dimensions.

    Examples
    --------
    >>> from skmer.emotions import get_emotion_space
    >>> vad = get_emotion_space("vad")
    >>> vad.dimensions
    ('valence', 'arousal', 'dominance')
    >>> vad.rescale([[1, 5, 9]], from_range=(1, 9)).tolist()
    [[-1.0, 0.0, 1.0]]
    """

    bounds = (-1.0, 1.0)

    def __init__(self, dimensions):
        self.dimensions = tuple(dimensions)
        self.n_dims = len(self.dimensions)

    def __repr__(self):
        return f"DimensionalEmotionSpace({self.dimensions})"

    def check(self, points, param="points"):
        """Validate points of this space: shape ``(n, n_dims)``, finite.

        Parameters
        ----------
        points : array-like of shape (n_samples, n_dims)
        param : str, default="points"
            Name used in error messages.

        Returns
        -------
        points : ndarray of shape (n_samples, n_dims)
        """
        points = np.asarray(points, dtype=float)
        if points.ndim == 1 and self.n_dims == 1:
            points = points[:, None]
        if points.ndim != 2 or points.shape[1] != self.n_dims:
            raise ValueError(
                f"{param} must have shape (n_samples, {self.n_dims}) for the space "
                f"{self.dimensions}; got {points.shape}."
            )
        if not np.all(np.isfinite(points)):
            raise ValueError(f"{param} must be finite.")
        return points

    def rescale(self, ratings, *, from_range):
        """Linearly map ratings from ``from_range`` onto ``[-1, 1]``.

        Parameters
        ----------
        ratings : array-like of shape (n_samples, n_dims)
        from_range : tuple of (float, float)
            ``(low, high)`` of the rating scale, e.g. ``(1, 9)`` for SAM.

        Returns
        -------
        points : ndarray of shape (n_samples, n_dims)
        """
        from skmer.emotions._annotation import rescale_ratings

        return rescale_ratings(self.check(ratings, "ratings"), from_range=from_range)


def _flat(mapping):
    return {child: parent for parent, children in mapping.items() for child in children}


# Parrott (2001), "Emotions in social psychology", Table of the tree structure
# of emotions derived from Shaver et al. (1987): primary > secondary > tertiary.
_PARROTT = {
    "love": {
        "affection": [
            "adoration",
            "affection",
            "love",
            "fondness",
            "liking",
            "attraction",
            "caring",
            "tenderness",
            "compassion",
            "sentimentality",
        ],
        "lust": ["arousal", "desire", "lust", "passion", "infatuation"],
        "longing": ["longing"],
    },
    "joy": {
        "cheerfulness": [
            "amusement",
            "bliss",
            "cheerfulness",
            "gaiety",
            "glee",
            "jolliness",
            "joviality",
            "joy",
            "delight",
            "enjoyment",
            "gladness",
            "happiness",
            "jubilation",
            "elation",
            "satisfaction",
            "ecstasy",
            "euphoria",
        ],
        "zest": ["enthusiasm", "zeal", "zest", "excitement", "thrill", "exhilaration"],
        "contentment": ["contentment", "pleasure"],
        "pride": ["pride", "triumph"],
        "optimism": ["eagerness", "hope", "optimism"],
        "enthrallment": ["enthrallment", "rapture"],
        "relief": ["relief"],
    },
    "surprise": {"surprise": ["amazement", "surprise", "astonishment"]},
    "anger": {
        "irritation": [
            "aggravation",
            "irritation",
            "agitation",
            "annoyance",
            "grouchiness",
            "grumpiness",
        ],
        "exasperation": ["exasperation", "frustration"],
        "rage": [
            "anger",
            "rage",
            "outrage",
            "fury",
            "wrath",
            "hostility",
            "ferocity",
            "bitterness",
            "hate",
            "loathing",
            "scorn",
            "spite",
            "vengefulness",
            "dislike",
            "resentment",
        ],
        "disgust": ["disgust", "revulsion", "contempt"],
        "envy": ["envy", "jealousy"],
        "torment": ["torment"],
    },
    "sadness": {
        "suffering": ["agony", "suffering", "hurt", "anguish"],
        "sadness": [
            "depression",
            "despair",
            "hopelessness",
            "gloom",
            "glumness",
            "sadness",
            "unhappiness",
            "grief",
            "sorrow",
            "woe",
            "misery",
            "melancholy",
        ],
        "disappointment": ["dismay", "disappointment", "displeasure"],
        "shame": ["guilt", "shame", "regret", "remorse"],
        "neglect": [
            "alienation",
            "isolation",
            "neglect",
            "loneliness",
            "rejection",
            "homesickness",
            "defeat",
            "dejection",
            "insecurity",
            "embarrassment",
            "humiliation",
            "insult",
        ],
        "sympathy": ["pity", "sympathy"],
    },
    "fear": {
        "horror": [
            "alarm",
            "shock",
            "fear",
            "fright",
            "horror",
            "terror",
            "panic",
            "hysteria",
            "mortification",
        ],
        "nervousness": [
            "anxiety",
            "nervousness",
            "tenseness",
            "uneasiness",
            "apprehension",
            "worry",
            "distress",
            "dread",
        ],
    },
}

# Plutchik (1980, 2001): eight primary emotions, each at three intensities
# (mild, basic, intense), arranged as opposite pairs on the wheel.
_PLUTCHIK = {
    "joy": ("serenity", "joy", "ecstasy"),
    "trust": ("acceptance", "trust", "admiration"),
    "fear": ("apprehension", "fear", "terror"),
    "surprise": ("distraction", "surprise", "amazement"),
    "sadness": ("pensiveness", "sadness", "grief"),
    "disgust": ("boredom", "disgust", "loathing"),
    "anger": ("annoyance", "anger", "rage"),
    "anticipation": ("interest", "anticipation", "vigilance"),
}

_POSITIVE, _NEGATIVE, _NEUTRAL = "positive", "negative", "neutral"


def _builtin_models():
    models = {
        "binary_sentiment": CategoricalEmotionModel(
            "binary_sentiment",
            {"category": {"negative": _NEGATIVE, "positive": _POSITIVE}},
            reference="Binary sentiment (e.g. CMU-MOSI's A2 protocol).",
        ),
        "ternary_sentiment": CategoricalEmotionModel(
            "ternary_sentiment",
            {"category": {p: p for p in POLARITIES}},
            reference="Ternary sentiment: negative, neutral, positive.",
        ),
        "ekman": CategoricalEmotionModel(
            "ekman",
            {
                "category": {
                    "anger": _NEGATIVE,
                    "disgust": _NEGATIVE,
                    "fear": _NEGATIVE,
                    "happiness": _POSITIVE,
                    "sadness": _NEGATIVE,
                    "surprise": _NEUTRAL,
                }
            },
            reference="Ekman, P. (1992). An argument for basic emotions. Cognition "
            "and Emotion, 6(3-4), 169-200.",
        ),
        "mikels": CategoricalEmotionModel(
            "mikels",
            {
                "category": {
                    "amusement": _POSITIVE,
                    "anger": _NEGATIVE,
                    "awe": _POSITIVE,
                    "contentment": _POSITIVE,
                    "disgust": _NEGATIVE,
                    "excitement": _POSITIVE,
                    "fear": _NEGATIVE,
                    "sadness": _NEGATIVE,
                }
            },
            reference="Mikels, J. A. et al. (2005). Emotional category data on images "
            "from the International Affective Picture System. Behavior Research "
            "Methods, 37(4), 626-630.",
        ),
    }
    plutchik_polarity = {
        "joy": _POSITIVE,
        "trust": _POSITIVE,
        "anticipation": _POSITIVE,
        "surprise": _NEUTRAL,
        "fear": _NEGATIVE,
        "sadness": _NEGATIVE,
        "disgust": _NEGATIVE,
        "anger": _NEGATIVE,
    }
    models["plutchik"] = CategoricalEmotionModel(
        "plutchik",
        {
            "intensity": {t: p for p, terms in _PLUTCHIK.items() for t in terms},
            "primary": plutchik_polarity,
        },
        intensities={
            t: i + 1 for terms in _PLUTCHIK.values() for i, t in enumerate(terms)
        },
        reference="Plutchik, R. (1980). Emotion: A psychoevolutionary synthesis. "
        "Harper & Row; Plutchik (2001), American Scientist, 89(4), 344-350.",
    )
    models["parrott"] = CategoricalEmotionModel(
        "parrott",
        {
            "tertiary": _flat(
                {
                    sec: terms
                    for subtree in _PARROTT.values()
                    for sec, terms in subtree.items()
                }
            ),
            "secondary": {sec: prim for prim, sub in _PARROTT.items() for sec in sub},
            "primary": {
                "love": _POSITIVE,
                "joy": _POSITIVE,
                "surprise": _NEUTRAL,
                "anger": _NEGATIVE,
                "sadness": _NEGATIVE,
                "fear": _NEGATIVE,
            },
        },
        reference="Parrott, W. G. (2001). Emotions in social psychology. "
        "Psychology Press (after Shaver et al., 1987).",
    )
    return models


_MODELS = _builtin_models()
_SPACES = {
    "va": DimensionalEmotionSpace(("valence", "arousal")),
    "vad": DimensionalEmotionSpace(("valence", "arousal", "dominance")),
}


def get_emotion_model(name):
    """A built-in categorical emotion scheme by name.

    Parameters
    ----------
    name : {"binary_sentiment", "ternary_sentiment", "ekman", "mikels", \
"plutchik", "parrott"} or CategoricalEmotionModel
        The scheme; a model object is returned as is.

    Returns
    -------
    model : CategoricalEmotionModel

    Examples
    --------
    >>> from skmer.emotions import get_emotion_model
    >>> get_emotion_model("mikels").polarity(["awe", "fear"]).tolist()
    ['positive', 'negative']
    >>> len(get_emotion_model("parrott").names("tertiary"))
    135
    """
    if isinstance(name, CategoricalEmotionModel):
        return name
    if name not in _MODELS:
        raise ValueError(
            f"model={name!r} is not a known emotion scheme; choose one of "
            f"{sorted(_MODELS)} or pass a CategoricalEmotionModel."
        )
    return _MODELS[name]


def get_emotion_space(name):
    """A dimensional emotion space by name: ``"va"`` or ``"vad"``.

    Parameters
    ----------
    name : {"va", "vad"} or DimensionalEmotionSpace
        The space; a space object is returned as is.

    Returns
    -------
    space : DimensionalEmotionSpace

    Examples
    --------
    >>> from skmer.emotions import get_emotion_space
    >>> get_emotion_space("va").n_dims
    2
    """
    if isinstance(name, DimensionalEmotionSpace):
        return name
    if name not in _SPACES:
        raise ValueError(
            f"space={name!r} is not a known emotion space; choose one of "
            f"{sorted(_SPACES)} or pass a DimensionalEmotionSpace."
        )
    return _SPACES[name]
