import re

import pytest
from hypothesis import given, strategies as st

from workflow.uscc import ALPHABET, WEIGHTS, check_character, is_valid_uscc, make_uscc, validate_uscc

KNOWN_VALID = ["91310115591693856A", "91310110666007217T"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_real_codes_of_shanghai_enterprises_are_accepted(code):
    assert validate_uscc(code) == code
    assert is_valid_uscc(code)


def test_the_weights_are_the_powers_of_three_modulo_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_the_alphabet_has_31_characters_without_i_o_s_v_z():
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


def test_check_character_of_a_known_code_is_its_last_character():
    assert check_character("91310115591693856") == "A"
    assert make_uscc("91310110666007217") == "91310110666007217T"


def test_a_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValueError, match="校验位错误：应为 A，实为 B"):
        validate_uscc("91310115591693856B")


@pytest.mark.parametrize("code, length", [("9131011559169385", 16), ("91310115591693856AA", 19)])
def test_a_code_of_the_wrong_length_is_refused_with_its_length(code, length):
    with pytest.raises(ValueError, match=f"长度应为 18 位，实为 {length} 位"):
        validate_uscc(code)


def test_an_empty_code_is_refused():
    with pytest.raises(ValueError, match="不能为空"):
        validate_uscc("   ")


@pytest.mark.parametrize("bad", list("IOSVZ") + ["*", "中"])
def test_characters_outside_the_standard_set_are_refused_naming_the_position(bad):
    code = "91310115" + bad + "91693856A"
    with pytest.raises(ValueError, match=re.escape(f"第 9 位“{bad}”不是合法字符")):
        validate_uscc(code)


def test_lowercase_and_surrounding_spaces_are_normalised():
    assert validate_uscc("  91310115591693856a\n") == "91310115591693856A"


def test_full_width_characters_are_normalised():
    assert validate_uscc("９１３１０１１５５９１６９３８５６Ａ") == "91310115591693856A"


@pytest.mark.parametrize(
    "code, message",
    [
        ("B" + "1310115591693856A", "第 1 位登记管理部门码"),
        ("90310115591693856A", "第 2 位机构类别码"),
        ("9131A115591693856A", "第 3-8 位登记管理机关行政区划码"),
    ],
)
def test_the_structure_fixed_by_the_standard_is_checked(code, message):
    with pytest.raises(ValueError, match=message):
        validate_uscc(code)


def test_make_uscc_refuses_a_prefix_of_the_wrong_length():
    with pytest.raises(ValueError, match="前 17 位"):
        make_uscc("9131011559169385")


first17 = st.builds(
    lambda a, b, area, ident: a + b + area + ident,
    st.sampled_from("123456789ANY"),
    st.sampled_from("123456789"),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
)


@given(first17)
def test_make_uscc_always_produces_a_valid_code(body):
    code = make_uscc(body)
    assert len(code) == 18
    assert validate_uscc(code) == code


@given(first17, st.sampled_from(ALPHABET))
def test_changing_the_check_character_always_fails_and_names_the_right_one(body, other):
    code = make_uscc(body)
    if other == code[17]:
        return
    with pytest.raises(ValueError, match=f"校验位错误：应为 {code[17]}，实为 {other}"):
        validate_uscc(code[:17] + other)


@given(first17, st.integers(0, 16), st.sampled_from(ALPHABET))
def test_changing_any_single_character_of_a_valid_code_makes_it_invalid(body, position, other):
    code = make_uscc(body)
    if other == code[position]:
        return
    changed = code[:position] + other + code[position + 1 :]
    assert not is_valid_uscc(changed)
