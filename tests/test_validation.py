"""Bad input gives a clear error naming the argument and the problem, never a silent NaN."""

from __future__ import annotations

import numpy as np
import pytest
from cases import (
    binary,
    binary_logits,
    binary_probabilities,
    bind,
    bound,
    categorical,
    categorical_logits,
    categorical_probabilities,
    elementwise,
    functions,
    logit_rows,
    losses,
    plain,
    with_parameter,
)

import nnmath as nm
from nnmath.registry import FORMULAS


def _read_only(a):
    a.setflags(write=False)  # shared by the tests of this module: none may change it
    return a


INF = np.inf
Z = _read_only(np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]))
P = _read_only(np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]))
NAN_AT_1_2 = _read_only(np.array([[1.0, 2.0, 3.0], [0.5, -1.0, np.nan]]))

# The functions under test come from the registry (tests/cases.py): functions of rows of
# logits, elementwise ones, binary and categorical losses, by probabilities or logits.
LOGIT_FUNCS = bound(logit_rows)
ELEMENTWISE = bound(elementwise)
BINARY = plain(binary_probabilities)
BINARY_LOGITS = plain(binary_logits)
ALL_BINARY = plain(binary)
CATEGORICAL = functions(categorical)
CATEGORICAL_P = plain(categorical_probabilities)
CATEGORICAL_Z = plain(categorical_logits)
ALL_LOSSES = plain(losses)


def _x_for(formula):
    """A valid input of two samples for a categorical loss: probabilities or logits."""
    return P if formula.domain == "probabilities" else Z


# --------------------------------------------------------------------------
# NaN anywhere
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fun", LOGIT_FUNCS)
def test_nan_logits_are_reported_with_index(fun):
    with pytest.raises(ValueError, match=r"^z contains NaN at index \(1, 2\)$"):
        fun(NAN_AT_1_2)


@pytest.mark.parametrize("fun", ELEMENTWISE)
def test_nan_elementwise_input(fun):
    with pytest.raises(ValueError, match=r"^x contains NaN at index \(1,\)$"):
        fun([0.5, np.nan, 1.0])


def test_nan_in_targets_and_probabilities():
    with pytest.raises(ValueError, match=r"^y contains NaN at index \(0, 1\)"):
        nm.softmax_cross_entropy(Z, [[0.5, np.nan, 0.5], [1.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match=r"^p contains NaN at index \(1, 0\)"):
        nm.cross_entropy([[0.5, 0.5], [np.nan, 0.5]], [0, 1])
    with pytest.raises(ValueError, match=r"^p contains NaN"):
        nm.binary_cross_entropy([np.nan], [1.0])
    with pytest.raises(ValueError, match=r"^y contains NaN"):
        nm.binary_cross_entropy_with_logits([0.0], [np.nan])
    with pytest.raises(ValueError, match=r"^z contains NaN at index \(2,\)"):
        nm.binary_cross_entropy_with_logits_grad([0.0, 1.0, np.nan], [0.0, 1.0, 1.0])


def test_nan_is_reported_before_inf():
    with pytest.raises(ValueError, match=r"z contains NaN at index \(0, 2\)"):
        nm.softmax([[INF, 1.0, np.nan]])


# --------------------------------------------------------------------------
# Infinite logits: -inf masks a class, +inf and all -inf rows are errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fun", LOGIT_FUNCS)
def test_plus_inf_logit(fun):
    with pytest.raises(ValueError, match=r"^z contains \+inf at index \(0, 1\).*not \+inf"):
        fun([[1.0, INF, 0.0], [0.0, 0.0, 0.0]])


@pytest.mark.parametrize("fun", LOGIT_FUNCS)
def test_row_of_only_minus_inf(fun):
    with pytest.raises(ValueError, match=r"^z has a row of only -inf logits at index \(1,\)"):
        fun([[1.0, -INF, 0.0], [-INF, -INF, -INF]])


def test_single_row_of_only_minus_inf():
    with pytest.raises(ValueError, match=r"^z has only -inf logits"):
        nm.softmax([-INF, -INF])


@pytest.mark.parametrize("fun", LOGIT_FUNCS)
def test_minus_inf_mask_is_allowed(fun):
    out = np.asarray(fun([[1.0, -INF, 0.0], [-INF, 2.0, 0.0]]))
    assert not np.isnan(out).any()


@pytest.mark.parametrize("fun", BINARY_LOGITS)
def test_binary_plus_inf_logit(fun):
    with pytest.raises(ValueError, match=r"^z contains \+inf at index \(1,\)"):
        fun([0.0, INF], [1.0, 1.0])


def test_leading_axis_row_index():
    z = np.zeros((2, 3, 4))
    z[1, 2, :] = -INF
    with pytest.raises(ValueError, match=r"row of only -inf logits at index \(1, 2\)"):
        nm.log_softmax(z)
    z = np.zeros((2, 3, 4))
    z[1, :, 3] = -INF
    with pytest.raises(ValueError, match=r"row of only -inf logits at index \(1, 3\)"):
        nm.softmax(z, axis=1)


# --------------------------------------------------------------------------
# Probabilities outside [0, 1] and rows that do not sum to 1
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fun", BINARY)
@pytest.mark.parametrize("bad", [-0.1, 1.5], ids=["negative", "above-one"])
def test_binary_probability_out_of_range(fun, bad):
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\].*p\[1\] = " + str(bad)):
        fun([0.5, bad], [1.0, 0.0])


@pytest.mark.parametrize("fun", ALL_BINARY)
def test_binary_target_out_of_range(fun):
    with pytest.raises(ValueError, match=r"^y must lie in \[0, 1\].*y\[0\] = 2"):
        fun([0.5, 0.5], [2.0, 0.0])


@pytest.mark.parametrize("fun", CATEGORICAL_P)
def test_categorical_probability_out_of_range(fun):
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\].*p\[0, 0\] = -0.5"):
        fun([[-0.5, 1.5], [0.5, 0.5]], [0, 1])


@pytest.mark.parametrize("fun", CATEGORICAL_P)
def test_probability_rows_must_sum_to_one(fun):
    msg = r"^p rows must sum to 1 \(tolerance 1e-05 for float64\).*\(1,\) sums to 0\.9"
    with pytest.raises(ValueError, match=msg):
        fun([[0.5, 0.5], [0.4, 0.5]], [0, 1])


@pytest.mark.parametrize(("formula", "fun"), CATEGORICAL)
def test_target_rows_must_sum_to_one(formula, fun):
    x = _x_for(formula)
    with pytest.raises(ValueError, match=r"^y rows must sum to 1 .*\(0,\) sums to 1\.2"):
        fun(x, [[0.6, 0.6, 0.0], [0.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match=r"^y must lie in \[0, 1\]"):
        fun(x, [[1.5, -0.5, 0.0], [0.0, 0.0, 1.0]])


def test_row_sum_tolerance_is_1e_5():
    ok = np.array([[0.5, 0.5 + 5e-6]])
    nm.cross_entropy(ok, [0])
    nm.softmax_cross_entropy([[0.0, 1.0]], ok)
    with pytest.raises(ValueError, match="rows must sum to 1"):
        nm.cross_entropy(np.array([[0.5, 0.5 + 5e-5]]), [0])


# --------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("formula", "fun"), CATEGORICAL)
@pytest.mark.parametrize("labels", [[0, 3], [-1, 0]], ids=["too-large", "negative"])
def test_labels_out_of_range(formula, fun, labels):
    x = _x_for(formula)
    msg = r"^class labels in y must lie in \[0, 3\), but y\[\d\] = "
    with pytest.raises(ValueError, match=msg):
        fun(x, labels)


@pytest.mark.parametrize(("formula", "fun"), CATEGORICAL)
def test_labels_must_be_integers(formula, fun):
    x = _x_for(formula)
    msg = r"^y has shape \(2,\).*must hold integers, got dtype float64"
    with pytest.raises(TypeError, match=msg):
        fun(x, [0.0, 1.5])
    with pytest.raises(TypeError, match=r"^y .*must hold integers, got dtype bool"):
        fun(x, [True, False])


def test_single_sample_label():
    with pytest.raises(ValueError, match=r"^class labels in y must lie in \[0, 3\), but y = 5$"):
        nm.softmax_cross_entropy([1.0, 2.0, 3.0], 5)


def test_one_hot_errors():
    msg = r"^class labels in labels must lie in \[0, 3\), but labels\[1\] = 3$"
    with pytest.raises(ValueError, match=msg):
        nm.one_hot([0, 3], 3)
    with pytest.raises(TypeError, match=r"^labels holds class labels, which must be integers"):
        nm.one_hot([0.0, 1.0], 3)
    with pytest.raises(ValueError, match=r"^num_classes must be >= 1, got 0"):
        nm.one_hot([0], 0)
    with pytest.raises(TypeError, match=r"^num_classes must be an integer, got 2.5"):
        nm.one_hot([0], 2.5)


# --------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fun", CATEGORICAL_Z)
def test_categorical_shape_mismatch_names_both_shapes(fun):
    with pytest.raises(ValueError, match=r"^y has shape \(3,\) but z has shape \(2, 3\)"):
        fun(Z, [0, 1, 2])
    with pytest.raises(ValueError, match=r"^y has shape \(2, 2\) but z has shape \(2, 3\)"):
        fun(Z, [[1.0, 0.0], [0.0, 1.0]])


@pytest.mark.parametrize("fun", CATEGORICAL_P)
def test_categorical_p_shape_mismatch(fun):
    with pytest.raises(ValueError, match=r"^y has shape \(3,\) but p has shape \(2, 3\)"):
        fun(P, [0, 1, 2])


@pytest.mark.parametrize("fun", BINARY)
def test_binary_shape_mismatch(fun):
    with pytest.raises(ValueError, match=r"^y has shape \(2,\) but p has shape \(3,\)"):
        fun([0.1, 0.2, 0.3], [0.0, 1.0])


@pytest.mark.parametrize("fun", BINARY_LOGITS)
def test_binary_logits_shape_mismatch(fun):
    with pytest.raises(ValueError, match=r"^y has shape \(2, 1\) but z has shape \(2,\)"):
        fun([0.1, 0.2], [[0.0], [1.0]])


@pytest.mark.parametrize("fun", LOGIT_FUNCS)
def test_empty_class_axis(fun):
    with pytest.raises(ValueError, match=r"^z has an empty class axis \(shape \(2, 0\)"):
        fun(np.zeros((2, 0)))


def test_empty_class_axis_probabilities():
    with pytest.raises(ValueError, match=r"^p has an empty class axis"):
        nm.cross_entropy(np.zeros((2, 0)), np.zeros(2, dtype=int))


@pytest.mark.parametrize("fun", LOGIT_FUNCS)
def test_scalar_logits_have_no_class_axis(fun):
    with pytest.raises(ValueError, match=r"^z must have at least one dimension"):
        fun(3.0)


def test_axis_checks():
    with pytest.raises(ValueError, match=r"^axis 2 is out of range for z with shape \(2, 3\)"):
        nm.softmax(Z, axis=2)
    with pytest.raises(TypeError, match=r"^axis must be an integer"):
        nm.log_softmax(Z, axis=1.0)


def test_empty_batch():
    z = np.zeros((0, 3))
    y = np.zeros(0, dtype=int)
    assert nm.softmax_cross_entropy(z, y, reduction="sum") == 0.0
    assert nm.softmax_cross_entropy(z, y, reduction="none").shape == (0,)
    assert nm.softmax_cross_entropy_grad(z, y).shape == (0, 3)
    with pytest.raises(ValueError, match=r"^z holds no samples, so reduction='mean' is undefined"):
        nm.softmax_cross_entropy(z, y)


# --------------------------------------------------------------------------
# Parameters: temperature, reduction, alpha
# --------------------------------------------------------------------------


@pytest.mark.parametrize("t", [0, 0.0, -1.0, np.nan, np.inf], ids=str)
def test_temperature_must_be_positive(t):
    with pytest.raises(ValueError, match=r"^temperature must be a finite number > 0, got"):
        nm.softmax(Z, temperature=t)


@pytest.mark.parametrize("t", ["1", None, [1.0], True, 1 + 0j], ids=repr)
def test_temperature_must_be_a_real_number(t):
    with pytest.raises(TypeError, match=r"^temperature must be a real number"):
        nm.softmax(Z, temperature=t)


def test_temperature_accepts_numpy_scalars():
    nm.softmax(Z, temperature=np.float32(0.5))
    nm.softmax(Z, temperature=np.array(2.0))
    nm.softmax(Z, temperature=3)


@pytest.mark.parametrize("fun", ALL_LOSSES)
@pytest.mark.parametrize("reduction", ["avg", "MEAN", None, 1], ids=repr)
def test_bad_reduction(fun, reduction):
    with pytest.raises(ValueError, match=r"^reduction must be 'mean', 'sum' or 'none', got "):
        fun([0.2, 0.8], [0.0, 1.0], reduction=reduction)


@pytest.mark.parametrize("fun", plain(with_parameter("alpha")))
def test_alpha_checks(fun):
    with pytest.raises(TypeError, match=r"^alpha must be a real number, got 'x'"):
        fun([1.0], alpha="x")
    with pytest.raises(ValueError, match=r"^alpha must be finite, got nan"):
        fun([1.0], alpha=float("nan"))


@pytest.mark.parametrize("fun", plain(with_parameter("approximate")))
def test_approximate_checks(fun):
    expected = r"^approximate must be None \(or 'none'\) for the exact form, or 'tanh', got "
    with pytest.raises(ValueError, match=expected + "'erf'$"):
        fun([1.0], approximate="erf")
    with pytest.raises(TypeError, match=expected + r"True \(JAX's approximate=True is"):
        fun([1.0], approximate=True)
    with pytest.raises(TypeError, match=expected + "1$"):
        fun([1.0], approximate=1)
    assert fun(0.0, approximate="none") == fun(0.0, approximate=None) == fun(0.0)


# --------------------------------------------------------------------------
# Strings, objects, complex numbers
# --------------------------------------------------------------------------

BAD_KINDS = {
    "strings": (["a", "b"], TypeError, r"must be a real numeric array, got dtype <U1"),
    "objects": (np.array([1.0, None], dtype=object), TypeError, r"must be .*, got dtype object"),
    "complex": ([1 + 2j, 0j], TypeError, r"must be real, got complex dtype complex128"),
    "ragged": ([[1.0, 2.0], [1.0]], TypeError, r"cannot be converted to a numeric array"),
}


@pytest.mark.parametrize(("value", "exc", "match"), BAD_KINDS.values(), ids=BAD_KINDS.keys())
@pytest.mark.parametrize(("formula", "fun"), functions())
def test_bad_kinds_of_input(formula, fun, value, exc, match):
    with pytest.raises(exc, match=f"^{formula.input} {match}"):
        bind(formula, fun)(value)


@pytest.mark.parametrize(("value", "exc", "match"), BAD_KINDS.values(), ids=BAD_KINDS.keys())
@pytest.mark.parametrize("fun", ALL_BINARY)
def test_bad_kinds_of_target(fun, value, exc, match):
    with pytest.raises(exc, match=f"^y {match}"):
        fun([0.5, 0.5], value)


@pytest.mark.parametrize(("formula", "fun"), CATEGORICAL)
def test_bad_kinds_of_categorical_target(formula, fun):
    x = _x_for(formula)
    with pytest.raises(TypeError, match=r"^y .*must hold integers, got dtype <U1"):
        fun(x, ["a", "b"])
    with pytest.raises(TypeError, match=r"^y must be real, got complex"):
        fun(x, P.astype(complex))


# --------------------------------------------------------------------------
# Arguments NumPy cannot convert: ragged lists, objects whose __array__ raises
# --------------------------------------------------------------------------


class RefusesConversion:
    """Like a PyTorch tensor that requires grad: ``np.asarray`` of it raises."""

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("Can't call numpy() on Tensor that requires grad")


RAGGED = [[0, 1], [1]]
REFUSES = r"cannot be converted to a numeric array: converting the RefusesConversion raised "


def _every_argument():
    """(call, argument name) for every array argument of every public function."""
    ok_p, ok_z = [[0.5, 0.5]], [[1.0, 2.0]]
    calls = []
    for name in nm.__all__:
        fn = getattr(nm, name)
        if name in ("numerical_gradient", "numerical_jacobian"):
            calls.append((name, lambda v, fn=fn: fn(np.sum, v), "x"))
        elif name == "gradient_check":
            calls.append((name, lambda v, fn=fn: fn(np.sum, np.ones_like, v), "x"))
            calls.append((name + "-grad", lambda v, fn=fn: fn(np.sum, lambda _: v, [1.0]),
                          r"grad_f\(x\)"))  # fmt: skip
        elif name == "relative_error":
            calls.append((name, lambda v, fn=fn: fn(v, [1.0]), "analytic"))
            calls.append((name + "-numeric", lambda v, fn=fn: fn([1.0], v), "numeric"))
        elif name == "one_hot":
            calls.append((name, lambda v, fn=fn: fn(v, 2), "labels"))
        else:
            formula = next(f for f in FORMULAS if fn in f.callables)
            calls.append((name, bind(formula, fn), formula.input))
            if formula.is_loss:
                x = ok_p if formula.domain == "probabilities" else ok_z
                x = x[0] if formula.kind == "binary_loss" else x
                calls.append((name + "-y", lambda v, fn=fn, x=x: fn(x, v), "y"))
    return [pytest.param(call, arg, id=i) for i, call, arg in calls]


@pytest.mark.parametrize(("call", "argument"), _every_argument())
def test_an_object_numpy_cannot_convert_is_a_type_error_naming_the_argument(call, argument):
    # It used to be the object's own RuntimeError, naming no argument, from all 25 functions.
    with pytest.raises(TypeError, match=f"^{argument} {REFUSES}RuntimeError"):
        call(RefusesConversion())
    with pytest.raises(TypeError, match=f"^{argument} .*t.detach\\(\\).cpu\\(\\).numpy\\(\\)"):
        call(RefusesConversion())


def test_every_public_function_is_covered_by_the_conversion_test():
    named = {p.id.split("-")[0] for p in _every_argument()}
    assert named == set(nm.__all__) and len(named) == 25


@pytest.mark.parametrize(("call", "argument"), _every_argument())
def test_a_ragged_argument_is_a_type_error_naming_it(call, argument):
    # Ragged y and labels used to get NumPy's "inhomogeneous shape" message, naming nothing.
    with pytest.raises(TypeError, match=f"^{argument} cannot be converted .*ragged"):
        call(RAGGED)


def test_a_pytorch_tensor_that_requires_grad_is_refused_with_the_way_out():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    t = torch.ones(3, dtype=torch.float64, requires_grad=True)
    with pytest.raises(TypeError, match=r"^z cannot be converted.*requires grad.*detach"):
        nm.softmax(t)
    np.testing.assert_array_equal(nm.softmax(t.detach().cpu().numpy()), np.full(3, 1 / 3))


# --------------------------------------------------------------------------
# Validation does not convert or copy floating input needlessly
# --------------------------------------------------------------------------


def test_float_input_is_not_copied_for_validation():
    from nnmath._validation import as_float_array

    a = np.ones(4, dtype=np.float32)
    assert as_float_array(a, "a") is a
    assert as_float_array(np.arange(3), "a").dtype == np.float64
