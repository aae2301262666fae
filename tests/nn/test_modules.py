"""Tests of the plain torch modules of skmer.nn."""

import pytest

torch = pytest.importorskip("torch")

from skmer.nn import (  # noqa: E402
    AttentionFusion,
    ConcatFusion,
    FusionLoss,
    GatedFusion,
    LowRankFusion,
    MultimodalFusionNet,
    TensorFusion,
    drop_modalities,
    kl_to_distribution,
    masked_softmax,
    npair_loss,
    polarity_cross_entropy,
    triplet_loss,
)


def _embeddings(n=6, dims=(2, 3, 4), seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, d, generator=g) for d in dims]


def test_tensor_fusion_is_the_outer_product_with_constant_one():
    hs = _embeddings(dims=(2, 3))
    fused, w = TensorFusion([2, 3])(hs, torch.ones(6, 2))
    z1 = torch.cat([torch.ones(6, 1), hs[0]], 1)
    z2 = torch.cat([torch.ones(6, 1), hs[1]], 1)
    expected = torch.einsum("ni,nj->nij", z1, z2).reshape(6, -1)
    assert w is None
    torch.testing.assert_close(fused, expected)
    # unimodal terms are kept: the first row of the product is [1, h2]
    torch.testing.assert_close(fused[:, :4], z2)


def test_low_rank_fusion_equals_tfn_with_the_reconstructed_weight_tensor():
    dims, out, rank = (2, 3, 2), 5, 3
    lmf = LowRankFusion(dims, out, rank)
    hs = _embeddings(dims=dims)
    mask = torch.tensor([[1.0, 1.0, 1.0]] * 4 + [[1.0, 0.0, 1.0]] * 2)
    fused, _ = lmf(hs, mask)
    # full weight tensor W = sum_i lambda_i W_1^(i) ⊗ W_2^(i) ⊗ W_3^(i)
    f1, f2, f3 = lmf.factors
    W = torch.einsum("r,rao,rbo,rco->abco", lmf.fusion_weights[0], f1, f2, f3)
    tfn, _ = TensorFusion(dims)(hs, mask)
    expected = tfn @ W.reshape(-1, out) + lmf.bias
    torch.testing.assert_close(fused, expected, rtol=1e-4, atol=1e-5)
    n_params = sum(p.numel() for p in lmf.parameters())
    assert n_params == rank * out * sum(d + 1 for d in dims) + rank + out


def test_masked_softmax_and_attention_ignore_absent_modalities():
    mask = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    w = masked_softmax(torch.tensor([[5.0, 100.0, 5.0], [1.0, 2.0, 3.0]]), mask)
    torch.testing.assert_close(w, torch.tensor([[0.5, 0.0, 0.5], [0.0, 0.0, 0.0]]))
    hs = _embeddings(n=2)
    for layer in (AttentionFusion([2, 3, 4], 8), GatedFusion([2, 3, 4], 8)):
        fused, w = layer(hs, mask)
        assert torch.all(w[mask == 0] == 0)
        assert torch.all(fused[1] == 0)  # a row with no modality fuses to 0
        # changing an absent modality's embedding changes nothing
        hs2 = [hs[0], hs[1] + 10, hs[2]]
        torch.testing.assert_close(layer(hs2, mask)[0], fused)


def test_concat_fusion_zeroes_absent_blocks():
    hs = _embeddings(n=1, dims=(2, 2))
    fused, _ = ConcatFusion([2, 2])(hs, torch.tensor([[0.0, 1.0]]))
    assert fused[0, :2].abs().sum() == 0 and fused[0, -2:].tolist() == [0.0, 1.0]


def test_drop_modalities_keeps_one_and_only_drops_when_training():
    torch.manual_seed(0)
    mask = torch.tensor([[1.0, 1.0, 0.0]] * 500)
    out = drop_modalities(mask, 0.9, True)
    assert torch.all(out.sum(1) >= 1) and torch.all(out[:, 2] == 0)
    assert torch.equal(drop_modalities(mask, 0.9, False), mask)


def test_losses():
    labels = torch.tensor([0, 0, 1, 1])
    sep = torch.tensor([[1.0, 0.0], [1.0, 0.01], [0.0, 1.0], [0.01, 1.0]])
    mixed = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.01], [0.01, 1.0]])
    assert triplet_loss(sep, labels) < triplet_loss(mixed, labels)
    assert npair_loss(sep, labels) < npair_loss(mixed, labels)
    # polarity: mass on the opposite polarity costs more than within it
    pol = torch.tensor([-1.0, -1.0, 0.0, 1.0])
    y = torch.tensor([0])
    within = polarity_cross_entropy(torch.tensor([[0.0, 3.0, 0.0, 0.0]]), y, pol)
    across = polarity_cross_entropy(torch.tensor([[0.0, 0.0, 0.0, 3.0]]), y, pol)
    assert across > within
    # KL to a one-hot target equals the cross-entropy
    logits = torch.randn(5, 3)
    yi = torch.tensor([0, 1, 2, 1, 0])
    torch.testing.assert_close(
        kl_to_distribution(logits, torch.nn.functional.one_hot(yi, 3).float()),
        torch.nn.functional.cross_entropy(logits, yi),
    )


def test_fusion_loss_regression_polarity_penalises_wrong_sign():
    crit = FusionLoss(loss="polarity", task="regression", polarity_weight=1.0)
    y = torch.tensor([[1.0], [-1.0]])
    right = crit(torch.tensor([[0.5], [-0.5]]), y)
    wrong = crit(torch.tensor([[1.5], [-1.5]]) * torch.tensor([[1.0], [-1.0]]) - 1.0, y)
    assert right < wrong


@pytest.mark.parametrize(
    "fusion", ["tensor", "low_rank", "attention", "gated", "concat"]
)
def test_multimodal_fusion_net_shapes_and_gradients(fusion):
    net = MultimodalFusionNet(
        [4, 3],
        n_outputs=3,
        fusion=fusion,
        task="regression",
        hidden_sizes=(5,),
        modality_dropout=0.5,
    )
    x = {"x0": torch.randn(7, 4), "x1": torch.randn(7, 3)}
    out = net(mask=torch.ones(7, 2), **x)
    assert out[0].shape == (7, 3)
    out[0].sum().backward()
    assert all(p.grad is not None for p in net.head.parameters())
    with pytest.raises(ValueError, match="fusion"):
        MultimodalFusionNet([4], 2, fusion="sum")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"loss": "polarity", "polarity": torch.tensor([-1.0, 0.0, 1.0])},
        {"class_weight": torch.tensor([1.0, 2.0, 0.5])},
    ],
)
def test_fusion_loss_sample_weight_is_a_weighted_mean(params):
    """Integer weights equal repeating the samples; all-ones equal no weights."""
    torch.manual_seed(0)
    logits, y = torch.randn(6, 3), torch.tensor([0, 1, 2, 2, 1, 0])
    w = torch.tensor([1.0, 3.0, 0.0, 2.0, 1.0, 1.0])
    crit = FusionLoss(**params)
    rep = torch.repeat_interleave(torch.arange(6), w.long())
    torch.testing.assert_close(
        crit(logits, y, sample_weight=w), crit(logits[rep], y[rep])
    )
    torch.testing.assert_close(
        crit(logits, y, sample_weight=torch.ones(6)), crit(logits, y)
    )
    # label distributions (KL) and regression losses too
    dist = torch.softmax(torch.randn(6, 3), 1)
    torch.testing.assert_close(
        crit(logits, dist, sample_weight=w), crit(logits[rep], dist[rep])
    )
    for loss in ("mse", "l1", "huber", "polarity"):
        reg = FusionLoss(loss=loss, task="regression")
        out, t = torch.randn(6, 2), torch.randn(6, 2)
        torch.testing.assert_close(reg(out, t, sample_weight=w), reg(out[rep], t[rep]))
