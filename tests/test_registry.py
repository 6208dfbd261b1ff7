"""nnmath/registry.py, and the promises it makes for every registered function.

The generic tests run over :data:`nnmath.registry.FORMULAS`: every derivative against
central differences away from kinks, the convention at each kink inside the
subdifferential, the reductions of every loss, the dtypes kept, integers and scalars,
read-only inputs, no RuntimeWarning at the edges of the domain, and the SciPy twin where
one is registered.  Error messages are tested the same way in ``test_validation.py``.
"""

from __future__ import annotations

import importlib
import inspect
import warnings
from types import MappingProxyType

import numpy as np
import pytest
from cases import (
    SCALAR_CASES,
    away_from_kinks,
    elementwise,
    extreme_input,
    formula_settings,
    formulas,
    functions,
    integer_inputs,
    loss_cases,
    read_only,
    small_input,
)
from numpy.testing import assert_allclose

from nnmath import activations, gradcheck, losses, numerical_gradient, numerical_jacobian
from nnmath.registry import FORMULAS, TOOLS, Formula, by_name, public_functions

# --------------------------------------------------------------------------
# The registry itself
# --------------------------------------------------------------------------


@pytest.mark.parametrize("module", [activations, losses, gradcheck], ids=lambda m: m.__name__)
def test_every_public_function_of_a_module_is_registered(module):
    defined = {
        name
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_")
    }
    assert defined == set(module.__all__), "the module's __all__ lists what it defines"
    assert defined <= set(public_functions()), "every public function is in the registry"


def test_registered_functions_are_the_modules_own():
    for name, fn in public_functions().items():
        module = importlib.import_module(fn.__module__)
        assert getattr(module, name) is fn
        assert name in module.__all__


def test_names_are_unique_and_formulas_are_not_tools():
    names = [f.name for f in FORMULAS]
    assert len(names) == len(set(names))
    assert not set(names) & {fn.__name__ for fn in TOOLS}


@pytest.mark.parametrize("formula", formulas())
def test_formula_description_matches_its_signature(formula):
    params = inspect.signature(formula.function).parameters
    assert formula.input in ("x", "z", "p")
    assert ("reduction" in params) == formula.is_loss
    for fn in formula.callables:
        names = inspect.signature(fn).parameters.keys()
        for settings in formula.settings:
            assert settings.keys() <= names, f"{fn.__name__} takes every setting"


def test_by_name_and_its_error():
    assert by_name("gelu").derivative.__name__ == "gelu_grad"
    with pytest.raises(KeyError, match=r"no formula is called 'relu_grad'; the formulas are relu,"):
        by_name("relu_grad")


def test_settings_are_read_only():
    settings = by_name("leaky_relu").settings[1]
    assert isinstance(settings, MappingProxyType)
    with pytest.raises(TypeError):
        settings["alpha"] = 0.5  # type: ignore[index]


def test_a_formula_must_be_described_consistently():
    with pytest.raises(ValueError, match="give a derivative and its kind, or neither"):
        Formula(activations.relu, activations.relu_grad, kind="elementwise", domain="real")
    with pytest.raises(ValueError, match="a loss says what its mean is over"):
        Formula(
            losses.cross_entropy,
            losses.cross_entropy_grad,
            kind="categorical_loss",
            domain="probabilities",
            derivative_kind="gradient",
        )


# --------------------------------------------------------------------------
# Derivatives against central differences, away from kinks
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("formula", "settings"), formula_settings(elementwise))
def test_elementwise_derivative_vs_central_difference(rng, formula, settings):
    fun, grad = formula.function, formula.derivative
    x = away_from_kinks(rng, 12, formula.kinks)
    w = rng.standard_normal(12)
    numeric = numerical_gradient(lambda v: np.sum(w * fun(v, **settings)), x)
    assert_allclose(w * grad(x, **settings), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(
    ("formula", "settings"), formula_settings(lambda f: f.derivative_kind == "jacobian")
)
def test_jacobian_vs_central_differences(rng, formula, settings):
    for k in (1, 2, 5):
        z = rng.standard_normal(k) * 2
        analytic = formula.derivative(z, **settings)
        numeric = numerical_jacobian(lambda v: formula.function(v, **settings), z)
        assert_allclose(analytic, numeric, atol=1e-9)


@pytest.mark.parametrize(
    ("formula", "settings"),
    formula_settings(lambda f: f.kind == "along_classes" and f.derivative_kind == "gradient"),
)
def test_row_gradient_vs_central_differences(rng, formula, settings):
    # f maps each row to a number; its derivative is the gradient of each row's value.
    for k in (1, 2, 5):
        z = rng.standard_normal((3, k)) * 2
        w = rng.standard_normal(3)
        numeric = numerical_gradient(lambda v, w=w: np.sum(w * formula.function(v, **settings)), z)
        assert_allclose(w[:, None] * formula.derivative(z, **settings), numeric, atol=1e-9)


@pytest.mark.parametrize(("formula", "case"), loss_cases())
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_loss_gradient_vs_central_difference(rng, formula, case, reduction):
    loss, grad = formula.function, formula.derivative
    x, y = case(rng)
    numeric = numerical_gradient(lambda v: loss(v, y, reduction=reduction), x)
    analytic = grad(x, y, reduction=reduction)
    assert analytic.shape == np.shape(x)
    assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("formula", "settings"), formula_settings(lambda f: bool(f.kinks)))
def test_convention_at_a_kink_lies_in_the_subdifferential(formula, settings):
    # At a kink any value between the one-sided slopes is a valid subgradient.
    h = 1e-6
    for k in formula.kinks:
        f = formula.function

        def value(v, f=f):
            return float(np.asarray(f(np.array([v]), **settings))[0])

        left = (value(k) - value(k - h)) / h
        right = (value(k + h) - value(k)) / h
        assert abs(left - right) > 1e-3, "a registered kink is a real kink"
        at = float(np.asarray(formula.derivative(np.array([k]), **settings))[0])
        assert min(left, right) - 1e-9 <= at <= max(left, right) + 1e-9


# --------------------------------------------------------------------------
# Reductions of the losses
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("formula", "case"), loss_cases())
def test_reductions_are_consistent(rng, formula, case):
    loss, grad = formula.function, formula.derivative
    x, y = case(rng)
    per_sample = loss(x, y, reduction="none")
    size = np.size(x)
    n = size if formula.mean_over == "elements" else size // np.shape(x)[-1]
    assert_allclose(loss(x, y, reduction="sum"), per_sample.sum(), rtol=1e-14)
    assert_allclose(loss(x, y), per_sample.sum() / n, rtol=1e-14)
    assert_allclose(loss(x, y), loss(x, y, reduction="sum") / n, rtol=1e-14)
    g_sum = grad(x, y, reduction="sum")
    assert_allclose(grad(x, y, reduction="none"), g_sum, rtol=0)
    assert_allclose(grad(x, y), g_sum / n, rtol=1e-14)
    assert grad(x, y).dtype.kind == "f"


# --------------------------------------------------------------------------
# Dtypes, integers, scalars, read-only input
# --------------------------------------------------------------------------


def _dtype_params():
    return [
        pytest.param(formula, fn, np.dtype(dtype), id=f"{fn.__name__}-{dtype}")
        for formula, fn in (p.values for p in functions())
        for dtype in formula.dtypes
    ]


@pytest.mark.parametrize(("formula", "fn", "dtype"), _dtype_params())
def test_floating_dtype_is_preserved(formula, fn, dtype):
    x, y = small_input(formula)
    x = np.array(x, dtype=dtype)
    if formula.is_loss:
        for reduction in ("mean", "sum", "none"):
            assert np.asarray(fn(x, y, reduction=reduction)).dtype == dtype
    else:
        for settings in formula.settings:
            assert np.asarray(fn(x, **settings)).dtype == dtype


def _integer_params():
    return [
        pytest.param(formula, fn, case.values[0], id=f"{fn.__name__}-{case.id}")
        for formula, fn in (p.values for p in functions())
        for case in integer_inputs(formula)
    ]


@pytest.mark.parametrize(("formula", "fn", "case"), _integer_params())
def test_integers_and_bools_become_float64(formula, fn, case):
    x, y = case
    out = fn(x, y) if formula.is_loss else fn(x)
    assert np.asarray(out).dtype == np.float64


def _scalar_params():
    return [
        pytest.param(fn, args, id=f"{fn.__name__}{args}")
        for formula, fn in (p.values for p in functions())
        for args in SCALAR_CASES.get((formula.kind, formula.domain), [])
    ]


@pytest.mark.parametrize(("fn", "args"), _scalar_params())
def test_scalar_input_matches_array_input(fn, args):
    # Python scalars and 0-d arrays take the same path as arrays: the same values, shape ().
    from_scalar = np.asarray(fn(*args))
    from_array = fn(*(np.array([a]) for a in args))
    assert from_scalar.shape == ()
    assert from_scalar.dtype == np.float64
    np.testing.assert_allclose(from_scalar, np.asarray(from_array).reshape(()), rtol=1e-15)


@pytest.mark.parametrize(("formula", "fn"), functions())
def test_inputs_are_not_modified(rng, formula, fn):
    # Read-only arrays: any write into an input raises instead of passing unnoticed.
    if formula.is_loss:
        for make in (p.values[1] for p in loss_cases(lambda f: f is formula)):
            x, y = make(rng)
            keep = (np.copy(x), np.copy(y))
            x, y = read_only(x), read_only(y)
            for reduction in ("mean", "sum", "none"):
                fn(x, y, reduction=reduction)
            np.testing.assert_array_equal(x, keep[0])
            np.testing.assert_array_equal(y, keep[1])
        return
    z = rng.standard_normal((4, 5))
    keep = z.copy()
    for settings in formula.settings:
        fn(read_only(z), **settings)
        fn(np.asfortranarray(z)[:, ::2], **settings)
    np.testing.assert_array_equal(z, keep)


# --------------------------------------------------------------------------
# The edges of the domain: no RuntimeWarning, no NaN
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("formula", "fn"), functions())
def test_edges_of_the_domain_give_no_warning_and_no_nan(formula, fn):
    x, y = extreme_input(formula)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if formula.is_loss:
            outs = [fn(x, y, reduction=r) for r in ("mean", "sum", "none")]
        else:
            outs = [fn(x, **settings) for settings in formula.settings]
    for out in outs:
        assert not np.isnan(out).any(), f"{fn.__name__} gave NaN for valid input"


# --------------------------------------------------------------------------
# SciPy as an independent oracle, where the registry names one
# --------------------------------------------------------------------------


def _oracle(formula):
    module, _, name = formula.oracle.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("formula", formulas(lambda f: f.oracle is not None))
@pytest.mark.parametrize("scale", [1.0, 30.0], ids=["scale1", "scale30"])
def test_matches_the_scipy_oracle(rng, formula, scale):
    x = rng.standard_normal((5, 4)) * scale
    oracle = _oracle(formula)
    ours = formula.function(x)
    theirs = oracle(x, axis=-1) if formula.kind == "along_classes" else oracle(x)
    assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
