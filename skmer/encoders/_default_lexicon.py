"""skmer's small default affect lexicon.

Written for skmer (not derived from a licensed lexicon): about 80 common
English emotion words, each with valence, arousal and dominance on a
``[-1, 1]`` scale (0 = neutral) and 0/1 associations with six basic emotion
categories (Ekman: joy, sadness, anger, fear, surprise, disgust). The values
are rough editorial judgements meant for demonstrations and tests; supply a
real lexicon (e.g. a VAD or emotion-association lexicon you hold a licence
for) through ``LexiconEncoder(lexicon=...)`` for research use.
"""

DIMENSIONS = (
    "valence",
    "arousal",
    "dominance",
    "joy",
    "sadness",
    "anger",
    "fear",
    "surprise",
    "disgust",
)

# word: (valence, arousal, dominance, joy, sadness, anger, fear, surprise, disgust)
_ROWS = {
    "happy": (0.8, 0.4, 0.4, 1, 0, 0, 0, 0, 0),
    "happiness": (0.8, 0.4, 0.4, 1, 0, 0, 0, 0, 0),
    "joy": (0.9, 0.6, 0.4, 1, 0, 0, 0, 0, 0),
    "love": (0.9, 0.5, 0.3, 1, 0, 0, 0, 0, 0),
    "glad": (0.7, 0.3, 0.3, 1, 0, 0, 0, 0, 0),
    "great": (0.7, 0.4, 0.5, 1, 0, 0, 0, 0, 0),
    "good": (0.6, 0.1, 0.3, 1, 0, 0, 0, 0, 0),
    "wonderful": (0.9, 0.5, 0.4, 1, 0, 0, 0, 1, 0),
    "excellent": (0.8, 0.4, 0.5, 1, 0, 0, 0, 0, 0),
    "fun": (0.8, 0.6, 0.4, 1, 0, 0, 0, 0, 0),
    "laugh": (0.8, 0.6, 0.4, 1, 0, 0, 0, 0, 0),
    "smile": (0.7, 0.3, 0.3, 1, 0, 0, 0, 0, 0),
    "excited": (0.7, 0.9, 0.4, 1, 0, 0, 0, 1, 0),
    "thrilled": (0.8, 0.9, 0.4, 1, 0, 0, 0, 1, 0),
    "proud": (0.7, 0.5, 0.7, 1, 0, 0, 0, 0, 0),
    "calm": (0.5, -0.8, 0.3, 0, 0, 0, 0, 0, 0),
    "relaxed": (0.6, -0.8, 0.3, 1, 0, 0, 0, 0, 0),
    "peaceful": (0.7, -0.8, 0.3, 1, 0, 0, 0, 0, 0),
    "content": (0.6, -0.5, 0.3, 1, 0, 0, 0, 0, 0),
    "hope": (0.6, 0.2, 0.2, 1, 0, 0, 0, 0, 0),
    "grateful": (0.7, 0.1, 0.1, 1, 0, 0, 0, 0, 0),
    "beautiful": (0.8, 0.3, 0.2, 1, 0, 0, 0, 0, 0),
    "nice": (0.6, 0.0, 0.2, 1, 0, 0, 0, 0, 0),
    "win": (0.8, 0.7, 0.8, 1, 0, 0, 0, 0, 0),
    "success": (0.8, 0.5, 0.7, 1, 0, 0, 0, 0, 0),
    "sad": (-0.7, -0.3, -0.4, 0, 1, 0, 0, 0, 0),
    "sadness": (-0.7, -0.3, -0.4, 0, 1, 0, 0, 0, 0),
    "unhappy": (-0.7, -0.1, -0.3, 0, 1, 0, 0, 0, 0),
    "cry": (-0.6, 0.4, -0.5, 0, 1, 0, 0, 0, 0),
    "tears": (-0.6, 0.2, -0.4, 0, 1, 0, 0, 0, 0),
    "lonely": (-0.7, -0.4, -0.5, 0, 1, 0, 0, 0, 0),
    "grief": (-0.9, 0.1, -0.6, 0, 1, 0, 0, 0, 0),
    "depressed": (-0.8, -0.6, -0.6, 0, 1, 0, 0, 0, 0),
    "miss": (-0.4, -0.1, -0.3, 0, 1, 0, 0, 0, 0),
    "lost": (-0.5, 0.1, -0.5, 0, 1, 0, 1, 0, 0),
    "tired": (-0.4, -0.7, -0.4, 0, 1, 0, 0, 0, 0),
    "bored": (-0.4, -0.8, -0.2, 0, 1, 0, 0, 0, 0),
    "sorry": (-0.4, -0.1, -0.4, 0, 1, 0, 0, 0, 0),
    "bad": (-0.6, 0.1, -0.2, 0, 1, 1, 0, 0, 1),
    "terrible": (-0.8, 0.5, -0.3, 0, 1, 1, 1, 0, 1),
    "awful": (-0.8, 0.4, -0.3, 0, 1, 0, 0, 0, 1),
    "angry": (-0.7, 0.8, 0.4, 0, 0, 1, 0, 0, 0),
    "anger": (-0.7, 0.8, 0.4, 0, 0, 1, 0, 0, 0),
    "mad": (-0.6, 0.7, 0.3, 0, 0, 1, 0, 0, 0),
    "furious": (-0.8, 0.9, 0.5, 0, 0, 1, 0, 0, 0),
    "annoyed": (-0.5, 0.4, 0.1, 0, 0, 1, 0, 0, 0),
    "hate": (-0.9, 0.7, 0.3, 0, 0, 1, 0, 0, 1),
    "rage": (-0.8, 0.9, 0.4, 0, 0, 1, 0, 0, 0),
    "fight": (-0.5, 0.8, 0.4, 0, 0, 1, 1, 0, 0),
    "unfair": (-0.6, 0.4, -0.2, 0, 0, 1, 0, 0, 0),
    "afraid": (-0.7, 0.6, -0.7, 0, 0, 0, 1, 0, 0),
    "fear": (-0.7, 0.7, -0.7, 0, 0, 0, 1, 0, 0),
    "scared": (-0.7, 0.7, -0.7, 0, 0, 0, 1, 0, 0),
    "terrified": (-0.9, 0.9, -0.8, 0, 0, 0, 1, 0, 0),
    "anxious": (-0.6, 0.6, -0.5, 0, 0, 0, 1, 0, 0),
    "worried": (-0.5, 0.4, -0.4, 0, 1, 0, 1, 0, 0),
    "nervous": (-0.4, 0.6, -0.4, 0, 0, 0, 1, 0, 0),
    "panic": (-0.8, 0.9, -0.7, 0, 0, 0, 1, 1, 0),
    "danger": (-0.7, 0.8, -0.4, 0, 0, 0, 1, 0, 0),
    "threat": (-0.7, 0.7, -0.3, 0, 0, 1, 1, 0, 0),
    "surprise": (0.2, 0.7, 0.0, 0, 0, 0, 0, 1, 0),
    "surprised": (0.2, 0.7, -0.1, 0, 0, 0, 0, 1, 0),
    "amazed": (0.6, 0.7, 0.0, 1, 0, 0, 0, 1, 0),
    "shocked": (-0.4, 0.8, -0.3, 0, 0, 0, 1, 1, 0),
    "sudden": (0.0, 0.6, -0.1, 0, 0, 0, 0, 1, 0),
    "unexpected": (0.0, 0.5, -0.1, 0, 0, 0, 0, 1, 0),
    "disgust": (-0.8, 0.4, 0.1, 0, 0, 0, 0, 0, 1),
    "disgusting": (-0.8, 0.5, 0.1, 0, 0, 1, 0, 0, 1),
    "gross": (-0.7, 0.4, 0.1, 0, 0, 0, 0, 0, 1),
    "nasty": (-0.7, 0.4, 0.0, 0, 0, 1, 0, 0, 1),
    "sick": (-0.6, 0.1, -0.4, 0, 1, 0, 0, 0, 1),
    "dirty": (-0.5, 0.1, -0.1, 0, 0, 0, 0, 0, 1),
    "rotten": (-0.7, 0.2, -0.1, 0, 0, 0, 0, 0, 1),
    "pain": (-0.8, 0.6, -0.5, 0, 1, 0, 1, 0, 0),
    "hurt": (-0.7, 0.5, -0.5, 0, 1, 1, 0, 0, 0),
    "fine": (0.4, -0.2, 0.2, 1, 0, 0, 0, 0, 0),
    "okay": (0.2, -0.2, 0.1, 0, 0, 0, 0, 0, 0),
    "quiet": (0.2, -0.7, 0.0, 0, 0, 0, 0, 0, 0),
    "strong": (0.4, 0.4, 0.8, 0, 0, 0, 0, 0, 0),
    "weak": (-0.4, -0.3, -0.7, 0, 1, 0, 0, 0, 0),
    "control": (0.2, 0.3, 0.8, 0, 0, 0, 0, 0, 0),
    "helpless": (-0.7, 0.2, -0.9, 0, 1, 0, 1, 0, 0),
}

#: ``{word: {dimension: value}}``, the lexicon used by ``LexiconEncoder()``.
DEFAULT_LEXICON = {
    word: {d: float(v) for d, v in zip(DIMENSIONS, row)} for word, row in _ROWS.items()
}
