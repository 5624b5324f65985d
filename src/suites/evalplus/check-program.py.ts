/**
 * Python source of EvalPlus's grading, run by the sandbox as a HumanEval-style `check(candidate)`:
 * the expected outputs come from the canonical solution run on deep copies of the inputs
 * (evalplus.gen.util.trusted_exec), the candidate then runs on the inputs, and each output is
 * compared as evalplus.eval.unsafe_execute does (exact match; the dataset's special oracles;
 * float outputs compared like np.allclose(rtol=1e-07, atol), atol raised to 1e-6 when the
 * dataset gives 0 and the expected value is floats). MBPP+ inputs are first turned back into the
 * tuples/sets/complex numbers JSON cannot hold (evalplus.data.mbpp.mbpp_deserialize_inputs).
 * Every name starts with `_ep_`: this code runs in the candidate's own module namespace.
 */
export const EVALPLUS_CHECK_PROGRAM = `
import copy as _ep_copy
import json as _ep_json
import math as _ep_math

_EP_MBPP_OUTPUT_NOT_NONE = ["check_str", "text_match_three", "text_starta_endb"]
_EP_MBPP_OUTPUT_SET_EQ = ["similar_elements", "find_char_long", "common_in_nested_lists", "extract_singly", "larg_nnum", "intersection_array", "find_dissimilar", "Diff"]


def _ep_surface_Area(base_edge, height):
    slant_height = _ep_math.sqrt((base_edge / 2) ** 2 + height**2)
    return round(base_edge**2 + 4 * (base_edge * slant_height) / 2)


def _ep_digit_distance_nums(num1, num2):
    a, b = str(num1), str(num2)
    n = max(len(a), len(b))
    a, b = a.zfill(n), b.zfill(n)
    return sum(abs(int(x) - int(y)) for x, y in zip(a, b))


def _ep_poly(xs, x):
    return sum([coeff * _ep_math.pow(x, i) for i, coeff in enumerate(xs)])


def _ep_all_tuples(inp):
    if isinstance(inp, list):
        return tuple([_ep_all_tuples(item) for item in inp])
    return inp


def _ep_mbpp_deserialize(task_id, inputs):
    if task_id in [2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616, 630, 726, 740, 744, 809]:
        return [[tuple(lst) for lst in inp] for inp in inputs]
    if task_id in [63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780]:
        return [[[tuple(lst) for lst in lst_lst] for lst_lst in inp] for inp in inputs]
    if task_id in [75, 413, 444, 753]:
        return [[[tuple(lst) for lst in inp[0]]] + [inp[1]] for inp in inputs]
    if task_id == 106 or task_id == 750:
        return [[inp[0]] + [tuple(inp[1])] for inp in inputs]
    if task_id == 115:
        return [[[set(item) if isinstance(item, list) and len(item) else {} for item in inp[0]]] for inp in inputs]
    if task_id == 124:
        return [(float(inp[0]), complex(inp[1])) for inp in inputs]
    if task_id in [250, 405, 446, 617, 720, 763, 808]:
        return [[tuple(inp[0])] + [inp[1]] for inp in inputs]
    if task_id in [259, 401, 445]:
        modified = [[[tuple(lst) for lst in lst_lst] for lst_lst in inp] for inp in inputs]
        return [[tuple(lst) for lst in inp] for inp in modified]
    if task_id == 278:
        modified = [[[tuple(item) if isinstance(item, list) else item for item in inp[0]]] for inp in inputs]
        return [[tuple(lst) for lst in inp] for inp in modified]
    if task_id == 307:
        return [[tuple(inp[0])] + [inp[1], inp[2]] for inp in inputs]
    if task_id == 722:
        return [[{key: tuple(value) for key, value in inp[0].items()}] + inp[1:] for inp in inputs]
    if task_id == 252:
        return [[complex(inp[0])] for inp in inputs]
    if task_id in [580, 615, 791]:
        return [_ep_all_tuples(inp) for inp in inputs]
    return inputs


def _ep_is_floats(x):
    if isinstance(x, float):
        return True
    if isinstance(x, (list, tuple)) and x:
        return all(isinstance(i, float) for i in x)
    return False


def _ep_allclose(out, exp, atol):
    # np.allclose(out, exp, rtol=1e-07, atol=atol) for a number or a flat sequence of numbers.
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    exps = list(exp) if isinstance(exp, (list, tuple)) else [exp]
    if len(outs) != len(exps) and len(outs) != 1 and len(exps) != 1:
        return False
    n = max(len(outs), len(exps))
    for i in range(n):
        o = outs[i if len(outs) > 1 else 0]
        e = exps[i if len(exps) > 1 else 0]
        if _ep_math.isinf(o) or _ep_math.isinf(e):
            if o != e:
                return False
        elif not abs(o - e) <= atol + 1e-07 * abs(e):
            return False
    return True


def _ep_matches(dataset, entry_point, inp, out, exp, atol):
    exact_match = out == exp
    if dataset == "mbpp":
        if "are_equivalent" == entry_point:
            exact_match = exact_match or True
        elif "sum_div" == entry_point:
            exact_match = exact_match or out == 0
        elif "surface_Area" == entry_point:
            exact_match = exact_match or abs(out - _ep_surface_Area(*inp)) <= atol
        elif "digit_distance_nums" == entry_point:
            exact_match = exact_match or out == _ep_digit_distance_nums(*inp)
        elif entry_point in _EP_MBPP_OUTPUT_SET_EQ:
            exact_match = set(out) == set(exp)
        elif entry_point in _EP_MBPP_OUTPUT_NOT_NONE:
            if isinstance(out, bool):
                exact_match = out == exp
            else:
                exact_match = exp == (out is not None)
    if dataset == "humaneval" and "find_zero" == entry_point:
        assert abs(_ep_poly(*inp, out)) <= atol
        return
    if atol == 0 and _ep_is_floats(exp):
        atol = 1e-6
    if not exact_match and atol != 0:
        assert type(out) == type(exp)
        if isinstance(exp, (list, tuple)):
            assert len(out) == len(exp)
        assert _ep_allclose(out, exp, atol)
    else:
        assert exact_match


def _ep_check(candidate, dataset, task_number, entry_point, atol, reference_source, inputs_json):
    inputs = _ep_json.loads(inputs_json)
    if dataset == "mbpp":
        inputs = _ep_mbpp_deserialize(task_number, inputs)
    namespace = {}
    exec(reference_source, namespace)
    reference = namespace[entry_point]
    expected = [reference(*_ep_copy.deepcopy(inp)) for inp in inputs]
    if dataset == "mbpp" and entry_point in _EP_MBPP_OUTPUT_NOT_NONE:
        expected = [value is not None for value in expected]
    for inp, exp in zip(inputs, expected):
        out = candidate(*inp)
        _ep_matches(dataset, entry_point, inp, out, exp, atol)
`;
