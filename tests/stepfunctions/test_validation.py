"""Request checks with AWS's codes and words (stepfunctions/validation.py)."""

from __future__ import annotations

import json

import pytest

from serverless_lab.stepfunctions import validation


def test_an_unquoted_word_is_worded_as_jackson_words_it_with_its_position() -> None:
    problem = validation.json_problem("not a definition")
    assert problem is not None
    assert problem.detail == ("Unrecognized token 'not': was expecting (JSON String, Number, "
                              "Array, Object or token 'null', 'true' or 'false')")
    assert problem.location == '[Source: (String)"not a definition"; line: 1, column: 4]'


def test_the_position_counts_lines() -> None:
    problem = validation.json_problem("\n  nope")
    assert problem is not None and problem.location.endswith("line: 2, column: 7]")


def test_a_field_name_in_single_quotes() -> None:
    problem = validation.json_problem("{'not': 'json'")
    assert problem is not None
    assert problem.detail == ("Unexpected character (''' (code 39)): was expecting "
                              "double-quote to start field name")


def test_other_mistakes_keep_pythons_words() -> None:
    problem = validation.json_problem('{"a": }')
    assert problem is not None and "Expecting value" in problem.detail


@pytest.mark.parametrize("text", ['{"a": [1, {"b": "x"}]}', "[]", "true", '"[[[[["'])
def test_json_has_no_problem(text: str) -> None:
    assert validation.json_problem(text) is None


def test_nesting_deeper_than_1000_is_refused_without_recursion() -> None:
    problem = validation.json_problem("[" * 100000 + "]" * 100000)
    assert problem is not None and "nesting depth (1001)" in problem.detail
    assert validation.json_problem("[" * 500 + "]" * 500) is None


def test_brackets_inside_strings_do_not_nest() -> None:
    assert validation.nesting_depth(json.dumps({"a": "[" * 2000 + '\\"'})) == 1


def test_execution_input_limit_counts_utf8_bytes() -> None:
    validation.check_execution_input(json.dumps("é" * 100000, ensure_ascii=False))  # 200,002 bytes
    with pytest.raises(validation.ValidationException) as caught:
        validation.check_execution_input(json.dumps("é" * 140000, ensure_ascii=False))  # 140,002 characters
    assert caught.value.message == ("1 validation error detected: Value at 'input' failed to "
                                    "satisfy constraint: Member must have length less than or "
                                    "equal to 262144")


@pytest.mark.parametrize(("text", "detail"), [
    ("", "Invalid execution input."),
    ("   ", "Invalid execution input."),
    ("nope", "Unrecognized token 'nope'"),
])
def test_execution_input_that_is_not_json(text: str, detail: str) -> None:
    with pytest.raises(validation.InvalidExecutionInput) as caught:
        validation.check_execution_input(text)
    assert caught.value.error_type == "InvalidExecutionInput"
    assert caught.value.message.startswith(f"Invalid State Machine Execution Input: '{detail}")


def test_a_value_that_is_no_arn() -> None:
    validation.check_arn_prefix("arn:aws:states:us-east-1:123456789012:stateMachine:m")
    with pytest.raises(validation.InvalidArn) as caught:
        validation.check_arn_prefix("m")
    assert caught.value.message == "Invalid Arn: 'Invalid ARN prefix: m'"


def test_enum_and_maximum_messages_show_the_value() -> None:
    with pytest.raises(validation.ValidationException) as caught:
        validation.check_status_filter("done")
    assert caught.value.message.startswith("1 validation error detected: Value 'done' at "
                                           "'statusFilter' failed to satisfy constraint: Member "
                                           "must satisfy enum value set: [SUCCEEDED,")
    validation.check_status_filter("RUNNING")
    validation.check_max_results(1000)
    with pytest.raises(validation.ValidationException):
        validation.check_max_results(1001)


@pytest.mark.parametrize(("tags", "message"), [
    ([{"value": "v"}], "Value null at 'tags.1.member.key' failed to satisfy constraint: "
                       "Member must not be null"),
    ([{"key": "a", "value": "v"}, {"key": "b"}],
     "Value null at 'tags.2.member.value' failed to satisfy constraint: Member must not be null"),
    ([{"key": "", "value": "v"}], "Value '' at 'tags.1.member.key' failed to satisfy constraint: "
                                  "Member must have length greater than or equal to 1"),
    (["team"], "Value null at 'tags.1.member.key' failed to satisfy constraint: "
               "Member must not be null"),
    ([{"key": "k", "value": "v" * 257}], "at 'tags.1.member.value' failed to satisfy constraint: "
                                         "Member must have length less than or equal to 256"),
])
def test_a_tag_without_its_key_or_value_or_out_of_length(tags: list, message: str) -> None:
    with pytest.raises(validation.ValidationException) as caught:
        validation.check_tags(tags)
    assert caught.value.message.startswith("1 validation error detected: ")
    assert caught.value.message.endswith(message)


def test_tags_within_the_limits_pass() -> None:
    validation.check_tags([{"key": "k" * 128, "value": ""}, {"key": "a", "value": "v" * 256}])
    validation.check_tags(None)
