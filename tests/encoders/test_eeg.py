import mne
import numpy as np
import pytest
from numpy.testing import assert_allclose

from skmer.encoders import EEGBandEncoder
from skmer.encoders._eeg import DEFAULT_BANDS
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

_RNG = np.random.RandomState(0)
TRIALS = [_RNG.normal(size=(3, 256 + 32 * i)) for i in range(8)]


@parametrize_with_encoder_checks(
    [
        (EEGBandEncoder(sfreq=128, ch_names=["F3", "F4", "Oz"]), TRIALS),
        (
            EEGBandEncoder(
                sfreq=128, features=["de"], bands={"alpha": (8, 13)}, log_power=False
            ),
            TRIALS,
        ),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def _features(enc, items):
    return [dict(zip(enc.get_feature_names_out(), row)) for row in enc.transform(items)]


def test_differential_entropy_of_gaussian_noise():
    sigma, fs = 2.0, 200.0
    x = sigma * np.random.RandomState(1).normal(size=(2, int(300 * fs)))
    enc = EEGBandEncoder(sfreq=fs).fit([x])
    z = _features(enc, [x])[0]
    for band, (lo, hi) in DEFAULT_BANDS.items():
        # white noise: the band-passed signal has variance sigma^2 * (hi - lo) / (fs / 2)
        band_var = sigma**2 * (hi - lo) / (fs / 2)
        for ch in ("ch0", "ch1"):
            assert z[f"de_{band}_{ch}"] == pytest.approx(
                0.5 * np.log(2 * np.pi * np.e * band_var), abs=0.035
            )
            assert z[f"psd_{band}_{ch}"] == pytest.approx(np.log10(band_var), abs=0.03)


def test_asymmetry_known_by_construction():
    rng = np.random.RandomState(2)
    x = rng.normal(size=(4, 128 * 10))
    x[0] = 2.0 * x[1]  # F3 has four times the power of F4 in every band
    x[3] = x[2]  # C3 and C4 are identical
    enc = EEGBandEncoder(sfreq=128, ch_names=["F3", "F4", "C3", "C4"]).fit([x])
    z = _features(enc, [x])[0]
    assert enc.pairs_ == [(0, 1), (2, 3)]
    for band in DEFAULT_BANDS:
        assert z[f"dasm_{band}_F3-F4"] == pytest.approx(0.5 * np.log(4))
        assert z[f"rasm_{band}_F3-F4"] == pytest.approx(
            z[f"de_{band}_F3"] / z[f"de_{band}_F4"]
        )
        assert z[f"dasm_{band}_C3-C4"] == pytest.approx(0.0, abs=1e-12)
    explicit = EEGBandEncoder(sfreq=128, pairs=[(0, 1)], features=["dasm"]).fit([x])
    assert explicit.get_feature_names_out()[0] == "dasm_delta_ch0-ch1"


def test_mne_epochs_and_raw_match_arrays():
    x = np.random.RandomState(3).normal(size=(2, 640)) * 1e-5
    info = mne.create_info(["F3", "F4"], sfreq=128.0, ch_types="eeg")
    epochs = mne.EpochsArray(x[None], info, verbose=False)
    raw = mne.io.RawArray(x, info, verbose=False)
    enc = EEGBandEncoder().fit([epochs, None])
    assert enc.sfreq_ == 128.0 and enc.ch_names_ == ["F3", "F4"]
    arr = EEGBandEncoder(sfreq=128, ch_names=["F3", "F4"]).fit([x])
    assert_allclose(enc.transform([epochs]), arr.transform([x]))
    assert_allclose(enc.transform([raw]), arr.transform([x]))
    two = mne.EpochsArray(np.stack([x, 2 * x]), info, verbose=False)
    power = enc._band_power(two.get_data(), 128.0)
    single = enc._band_power(x[None], 128.0)
    assert_allclose(power, 2.5 * single)  # mean of 1x and 4x the power


def test_eeg_errors():
    x = np.zeros((2, 256)) + np.random.RandomState(0).normal(size=(2, 256))
    with pytest.raises(ValueError, match="sfreq is required"):
        EEGBandEncoder().fit([x])
    with pytest.raises(ValueError, match="must satisfy 0 <= low < high <= sfreq / 2"):
        EEGBandEncoder(sfreq=64).fit([x])
    with pytest.raises(ValueError, match="need channel pairs"):
        EEGBandEncoder(sfreq=128, features=["dasm"]).fit([x])
    enc = EEGBandEncoder(sfreq=128).fit([x])
    with pytest.raises(
        ValueError, match="Item 0 has 3 channels; the encoder was fitted on 2"
    ):
        enc.transform([np.ones((3, 256))])
    with pytest.raises(ValueError, match="pairs: unknown channel 'Cz'"):
        EEGBandEncoder(sfreq=128, pairs=[("F3", "Cz")], ch_names=["F3", "F4"]).fit([x])
    with pytest.raises(ValueError, match="fewer than 2 Welch frequency bins"):
        EEGBandEncoder(sfreq=128, window_sec=0.1).fit([x]).transform([x])
    info = mne.create_info(["a", "b"], sfreq=100.0, ch_types="eeg")
    with pytest.raises(ValueError, match="Item 0 is sampled at 100.0 Hz but sfreq=128"):
        EEGBandEncoder(sfreq=128).fit([mne.io.RawArray(x, info, verbose=False)])


def test_repeated_features_are_rejected():
    # regression: repeated features gave duplicated output feature names
    with pytest.raises(
        ValueError, match="features must be a non-empty list of distinct"
    ):
        EEGBandEncoder(sfreq=128, features=["de", "de"]).fit(TRIALS[:1])


def test_boolean_channel_in_pairs_is_rejected():
    # regression: True was silently read as channel 1
    with pytest.raises(ValueError, match="pairs: bad channel True"):
        EEGBandEncoder(sfreq=128, pairs=[(True, 0)]).fit(TRIALS[:1])


def test_overflowing_item_is_reported_not_encoded_as_inf():
    enc = EEGBandEncoder(sfreq=128).fit(TRIALS)
    with pytest.raises(
        ValueError, match=r"EEGBandEncoder: item 1 gives non-finite .*1e\+300"
    ):
        enc.transform([TRIALS[0], np.sign(TRIALS[1]) * 1e300])
