import numpy as np
import pytest
from numpy.testing import assert_allclose

from skmer.encoders import ImageEncoder, TorchFeatureExtractor
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

_RNG = np.random.RandomState(0)
IMAGES = [_RNG.uniform(size=(20 + 2 * i, 24 + i, 3)) for i in range(7)]
IMAGES[3] = (IMAGES[3][..., 0] * 255).astype(np.uint8)  # a grey uint8 image


def _pool_module():
    torch = pytest.importorskip("torch")
    return torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())


@parametrize_with_encoder_checks(
    [
        (ImageEncoder(), IMAGES),
        (ImageEncoder(features=["texture"], glcm_distances=[2], lbp_points=4), IMAGES),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def test_torch_feature_extractor_checks():
    from skmer.utils.estimator_checks import ENCODER_CHECKS

    enc = TorchFeatureExtractor(_pool_module(), input_size=(8, 8))
    for check in ENCODER_CHECKS:
        check(enc, IMAGES)


def _features(enc, items):
    return [dict(zip(enc.get_feature_names_out(), row)) for row in enc.transform(items)]


def test_saturated_image_is_more_colourful_than_its_grey_copy():
    from skimage.color import rgb2gray

    img = np.zeros((30, 30, 3))
    img[:, :15] = [1.0, 0.0, 0.0]
    img[:, 15:] = [0.0, 0.0, 1.0]
    grey = np.repeat(rgb2gray(img)[..., None], 3, axis=2)
    enc = ImageEncoder(features=["colour"]).fit([img])
    colour, grey_z = _features(enc, [img, grey])
    assert colour["colourfulness"] > grey_z["colourfulness"] + 0.5
    assert grey_z["colourfulness"] == pytest.approx(0.0, abs=1e-9)
    assert colour["saturation_mean"] == 1.0 and grey_z["saturation_mean"] == 0.0


def test_valdez_mehrabian_pad_of_a_uniform_colour():
    img = np.ones((10, 10, 3)) * np.array([0.8, 0.4, 0.4])  # V = 0.8, S = 0.5
    z = _features(ImageEncoder(features=["colour"]).fit([img]), [img])[0]
    assert z["value_mean"] == pytest.approx(0.8) and z[
        "saturation_mean"
    ] == pytest.approx(0.5)
    assert z["pleasure"] == pytest.approx(0.69 * 0.8 + 0.22 * 0.5)
    assert z["arousal"] == pytest.approx(-0.31 * 0.8 + 0.60 * 0.5)
    assert z["dominance"] == pytest.approx(-0.76 * 0.8 + 0.32 * 0.5)
    assert z["hue_cos"] == pytest.approx(1.0)  # red hue = angle 0


def test_texture_and_composition_known_answers():
    flat = np.full((32, 32), 0.5)
    checker = (np.indices((32, 32)).sum(0) % 2).astype(float)
    enc = ImageEncoder(glcm_distances=[1]).fit([flat])
    f, c = _features(enc, [flat, checker])
    assert f["glcm_contrast_d1"] == 0 and c["glcm_contrast_d1"] > 100
    assert f["glcm_energy_d1"] == pytest.approx(1.0)
    assert f["edge_density"] == 0.0
    assert f["symmetry_lr"] == 1.0 and f["symmetry_tb"] == 1.0
    half = np.zeros((32, 32))
    half[:, :16] = 1.0
    h = _features(enc, [half])[0]
    assert h["symmetry_lr"] == 0.0 and h["symmetry_tb"] == 1.0
    lbp = [v for k, v in f.items() if k.startswith("lbp_")]
    assert sum(lbp) == pytest.approx(1.0) and len(lbp) == 10


def test_uint8_float_and_paths_agree(tmp_path):
    from skimage import io

    img8 = (np.random.RandomState(1).uniform(size=(16, 16, 3)) * 255).astype(np.uint8)
    io.imsave(tmp_path / "a.png", img8, check_contrast=False)
    enc = ImageEncoder().fit([img8])
    Z = enc.transform([img8, img8 / 255.0, str(tmp_path / "a.png")])
    assert_allclose(Z[1], Z[0])
    assert_allclose(Z[2], Z[0])


def test_image_errors():
    with pytest.raises(ValueError, match="float images must lie in \\[0, 1\\]"):
        ImageEncoder().fit([np.full((8, 8), 2.0)])
    with pytest.raises(ValueError, match="features must be distinct groups"):
        ImageEncoder(features=["shape"]).fit([np.zeros((8, 8))])
    with pytest.raises(ValueError, match="Item 0 has 2 channels"):
        ImageEncoder().fit([np.zeros((8, 8, 2))])
    with pytest.raises(ValueError, match="Item 0 is only 2x8 pixels"):
        ImageEncoder().fit([np.zeros((2, 8))])


def test_torch_feature_extractor_known_output():
    enc = TorchFeatureExtractor(
        _pool_module(), input_size=(8, 8), mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25)
    ).fit([np.ones((10, 12, 3))])
    img = np.ones((10, 12, 3)) * np.array([0.5, 0.75, 1.0])
    assert_allclose(enc.transform([img, None])[0], [0.0, 1.0, 2.0], atol=1e-6)
    assert enc.get_feature_names_out().tolist() == ["emb0", "emb1", "emb2"]


def test_torch_feature_extractor_leaves_the_given_module_alone():
    # regression: fit put the user's module in eval mode (and moved it) in place
    torch = pytest.importorskip("torch")
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 2, 1),
        torch.nn.Dropout(0.5),
        torch.nn.AdaptiveAvgPool2d(1),
        torch.nn.Flatten(),
    )
    net.train()
    enc = TorchFeatureExtractor(net, input_size=(8, 8)).fit([np.ones((10, 12, 3))])
    assert net.training and not enc.module_.training
    img = np.random.RandomState(0).rand(10, 12, 3)
    before = enc.transform([img])
    with torch.no_grad():
        net[0].weight.zero_()  # changing the given module after fit...
    assert_allclose(enc.transform([img]), before)  # ...does not change the encoder


def test_integer_images_are_scaled_by_dtype_not_content():
    # regression: a dark uint16 image (max <= 255) was divided by 255, and
    # negative integers passed unchecked
    enc = ImageEncoder(features=["colour"]).fit([np.zeros((8, 8, 3))])
    value = list(enc.get_feature_names_out()).index("value_mean")
    dark16 = np.full((8, 8, 3), 200, dtype=np.uint16)
    assert enc.transform([dark16])[0, value] == pytest.approx(200 / 65535)
    ints = np.full((8, 8, 3), 128, dtype=np.int64)
    assert enc.transform([ints])[0, value] == pytest.approx(128 / 255)
    with pytest.raises(
        ValueError, match=r"integer images must hold values in \[0, 255\]"
    ):
        enc.transform([np.full((8, 8), -5)])
    with pytest.raises(ValueError, match="glcm_distances must be distinct"):
        ImageEncoder(glcm_distances=[1, 1]).fit([np.zeros((8, 8))])


@pytest.mark.parametrize("size", [(0, 16), (16,), (16, 16, 3)])
def test_torch_feature_extractor_bad_input_size(size):
    # regression: (0, 16) raised an OverflowError from scikit-image and a
    # 3-tuple was silently accepted
    with pytest.raises(ValueError, match="input_size must be \\(height, width\\)"):
        TorchFeatureExtractor(_pool_module(), input_size=size).fit(
            [np.ones((10, 12, 3))]
        )
