"""Common-check settings of the foundation's estimators."""

from skmer.compose import ModalityEncoder
from skmer.encoders import SequencePooling

INSTANCES = {
    "ModalityEncoder": [ModalityEncoder({"m": SequencePooling()})],
}

EXPECTED_FAILED = {}
