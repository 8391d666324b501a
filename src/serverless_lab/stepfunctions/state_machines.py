"""CreateStateMachine and UpdateStateMachine as AWS answers them.

AWS: "CreateStateMachine is an idempotent API. Subsequent requests won't create a duplicate
resource if it was already created. CreateStateMachine's idempotency check is based on the
state machine name, definition, type, LoggingConfiguration, TracingConfiguration, and
EncryptionConfiguration ... If a following request has a different roleArn or tags, Step
Functions will ignore these differences." A taken name with anything else different is
``StateMachineAlreadyExists``: ``State Machine Already Exists: '<arn>'`` (LocalStack
``test_sfn_api.snapshot.json`` ``TestSnfApi::test_create_duplicate_sm_name``).
https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html

UpdateStateMachine checks a new definition as CreateStateMachine does, refuses a request that
changes nothing with ``MissingRequiredParameter``, and answers a ``revisionId`` (a new one
for each update; ``TestSnfApi::test_create_update_state_machine_same_parameters``).
https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachine.html

moto keeps the first definition under a taken name and answers 200, gives its own
``MissingRequiredParameter`` an empty code, and has no revisions.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from moto.core.exceptions import JsonRESTError

from serverless_lab import seams
from serverless_lab.stepfunctions import state_machine_definition

if TYPE_CHECKING:  # importing moto's interpreter costs 1.2 s: stepfunctions/seams.py
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

NOTHING_TO_UPDATE = ("Either the definition, the role ARN, the LoggingConfiguration, the "
                     "EncryptionConfiguration or the TracingConfiguration must be specified")


class StateMachineAlreadyExists(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("StateMachineAlreadyExists", f"State Machine Already Exists: '{arn}'")


class MissingRequiredParameter(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("MissingRequiredParameter", NOTHING_TO_UPDATE)


def _differs(existing: Any, definition: str, sm_type: str | None,
             configurations: dict[str, Any]) -> bool:
    """Whether a create under ``existing``'s name asks for another state machine."""
    if existing.definition != definition or existing.type != (sm_type or "STANDARD"):
        return True
    return any(value is not None and getattr(existing, name) != value
               for name, value in configurations.items())


def create_state_machine(self: StepFunctionsParserBackend, name: str, definition: str,
                         roleArn: str, tags: Any = None, publish: bool | None = None,
                         loggingConfiguration: Any = None, tracingConfiguration: Any = None,
                         encryptionConfiguration: Any = None,
                         version_description: str | None = None,
                         sm_type: str | None = None) -> Any:
    """CreateStateMachine: the name (moto's check: InvalidName, or the model's length), the
    definition (``state_machine_definition.check``), the tags (``validation.check_tags``:
    moto fails on a tag without its key with a KeyError), a taken name, then moto."""
    from serverless_lab.stepfunctions import validation

    self._validate_name(name)
    validation.check_tags(tags)
    state_machine_definition.check(str(definition), sm_type)
    existing = self._revision_by_name(name)
    configurations = {"loggingConfiguration": loggingConfiguration,
                      "tracingConfiguration": tracingConfiguration,
                      "encryptionConfiguration": encryptionConfiguration}
    if existing is not None and _differs(existing, definition, sm_type, configurations):
        raise StateMachineAlreadyExists(existing.arn)
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    return seams.original(StepFunctionsParserBackend, "create_state_machine")(
        self, name=name, definition=definition, roleArn=roleArn, tags=tags, publish=publish,
        loggingConfiguration=loggingConfiguration, tracingConfiguration=tracingConfiguration,
        encryptionConfiguration=encryptionConfiguration,
        version_description=version_description, sm_type=sm_type)


def update_state_machine(self: StepFunctionsParserBackend, arn: str, definition: Any = None,
                         role_arn: Any = None, logging_configuration: Any = None,
                         tracing_configuration: Any = None, encryption_configuration: Any = None,
                         publish: bool | None = None, version_description: Any = None) -> Any:
    """UpdateStateMachine: something to update, a state machine, a valid definition; then
    moto, and a new revision id."""
    changes = (definition, role_arn, logging_configuration, tracing_configuration,
               encryption_configuration)
    if not any(changes):
        raise MissingRequiredParameter()
    machine = self.describe_state_machine(arn)
    if definition is not None:
        state_machine_definition.check(str(definition), str(machine.type))
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    updated = seams.original(StepFunctionsParserBackend, "update_state_machine")(
        self, arn, definition, role_arn, logging_configuration, tracing_configuration,
        encryption_configuration, publish, version_description)
    updated.revision_id = str(uuid.uuid4())
    return updated


def update_state_machine_response(self: Any) -> Any:
    """The UpdateStateMachine operation's answer, with the ``revisionId`` AWS gives."""
    from moto.stepfunctions.responses import StepFunctionResponse

    answer = seams.original(StepFunctionResponse, "update_state_machine")(self)
    machine = self.stepfunction_backend.describe_state_machine(self._get_param("stateMachineArn"))
    body = answer.result
    if isinstance(body, dict) and getattr(machine, "revision_id", None):
        body["revisionId"] = machine.revision_id
    return answer


def _taggable(backend: Any, arn: str) -> bool:
    return arn in backend.activities or any(m.arn == arn for m in backend.state_machines)


def tag_resource(self: Any, arn: str, tags: dict[str, str]) -> None:
    """TagResource on a resource that does not exist: "ResourceNotFound: Could not find the
    referenced resource" (message as LocalStack's provider words it, ``Resource not found:
    '<arn>'``); moto tags any ARN.
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_TagResource.html"""
    from moto.stepfunctions.exceptions import ResourceNotFound
    from moto.stepfunctions.models import StepFunctionBackend

    if not _taggable(self, arn):
        raise ResourceNotFound(arn)
    seams.original(StepFunctionBackend, "tag_resource")(self, arn, tags)


def tag_resource_response(self: Any) -> Any:
    """TagResource's request checks before moto's, which reads each tag's ``key`` and
    ``value`` and fails with a KeyError (a 500) when one is missing: each tag as the Tag data
    type constrains it (validation.check_tags), before the resource is looked for.
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_TagResource.html"""
    from moto.stepfunctions.responses import StepFunctionResponse

    from serverless_lab.stepfunctions import validation

    validation.check_tags(self._get_param("tags", []))
    return seams.original(StepFunctionResponse, "tag_resource")(self)


def list_state_machines(self: Any) -> Any:
    """ListStateMachines: ``maxResults`` over the model's 1000 is a ValidationException
    (``TestSnfApi::test_list_sms_pagination``)."""
    from moto.stepfunctions.responses import StepFunctionResponse

    from serverless_lab.stepfunctions import validation

    validation.check_max_results(self._get_param("maxResults"))
    return seams.original(StepFunctionResponse, "list_state_machines")(self)


def describe_state_machine(self: Any) -> Any:
    """DescribeStateMachine: after an update the answer carries the state machine's
    ``revisionId`` (``TestSnfApi::test_create_update_state_machine_same_parameters``)."""
    from moto.stepfunctions.responses import StepFunctionResponse

    answer = seams.original(StepFunctionResponse, "describe_state_machine")(self)
    machine = self.stepfunction_backend.describe_state_machine(self._get_param("stateMachineArn"))
    revision = getattr(machine, "revision_id", None)
    if revision and isinstance(answer.result, dict):
        answer.result["revisionId"] = revision
    return answer
