"""The known IAM privilege-escalation paths AG103 looks for (data, not logic).

Rhino Security Labs' methods as catalogued by pathfinding.cloud (whose ids the
paths carry: https://pathfinding.cloud/paths/<id>), ``rhino-02`` for the one
pathfinding.cloud has no page for, and ``agentgov-NNN`` for paths we add for
agents (AgentCore runtimes, Bedrock agents, permissions boundaries, AssumeRole
on every role, and AG110's four AgentCore paths: a command in a runtime, a
browser's automation stream, a new browser or harness with a passed role).
Every action named here must exist in the IAM action data:
``tests/test_iam_data.py`` fails when a data release drops or renames one.
"""

from __future__ import annotations

from dataclasses import dataclass

ANY, ALL = "any", "all"


@dataclass(frozen=True)
class Path:
    id: str  # pathfinding.cloud id, or agentgov-NNN
    name: str
    needs: tuple[tuple[str, str], ...]  # (action as AWS spells it, ANY | ALL)
    passed_to: str | None = None  # the service a passed role goes to (iam:PassedToService)

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(a for a, _ in self.needs)


def _p(pid: str, name: str, *needs: str, passed_to: str | None = None) -> Path:
    """``needs``: "svc:Action" (on any resource) or "svc:Action@*" (on every resource)."""
    parsed = tuple((n[:-2], ALL) if n.endswith("@*") else (n, ANY) for n in needs)
    return Path(pid, name, parsed, passed_to)


_PASS = "iam:PassRole@*"

#: the known escalation paths; every action here must exist in the IAM data (tests/test_iam_data.py)
PATHS: tuple[Path, ...] = (
    # permissions on policies
    _p("iam-001", "CreateNewPolicyVersion", "iam:CreatePolicyVersion"),
    _p("rhino-02", "SetExistingDefaultPolicyVersion", "iam:SetDefaultPolicyVersion"),
    _p("iam-005", "PutRolePolicy", "iam:PutRolePolicy"),
    _p("iam-007", "PutUserPolicy", "iam:PutUserPolicy"),
    _p("iam-011", "PutGroupPolicy", "iam:PutGroupPolicy"),
    _p("iam-008", "AttachUserPolicy", "iam:AttachUserPolicy"),
    _p("iam-009", "AttachRolePolicy", "iam:AttachRolePolicy"),
    _p("iam-010", "AttachGroupPolicy", "iam:AttachGroupPolicy"),
    # permissions on other principals
    _p("iam-002", "CreateAccessKey", "iam:CreateAccessKey"),
    _p("iam-004", "CreateLoginProfile", "iam:CreateLoginProfile"),
    _p("iam-006", "UpdateLoginProfile", "iam:UpdateLoginProfile"),
    _p("iam-013", "AddUserToGroup", "iam:AddUserToGroup"),
    _p("iam-012", "UpdateRolePolicyToAssumeIt", "iam:UpdateAssumeRolePolicy"),
    _p("agentgov-001", "RemoveOrReplacePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"),
    _p("agentgov-002", "ReplacePermissionsBoundary", "iam:PutRolePermissionsBoundary"),
    _p("agentgov-003", "AssumeAnyRole", "sts:AssumeRole@*"),
    # iam:PassRole on every role, to a service that runs code with it
    _p("ec2-001", "PassExistingRoleToNewEC2Instance", _PASS, "ec2:RunInstances", passed_to="ec2.amazonaws.com"),
    _p("ec2-003", "PassExistingRoleToNewEC2SpotInstance", _PASS, "ec2:RequestSpotInstances", passed_to="ec2.amazonaws.com"),
    _p(
        "lambda-001",
        "PassExistingRoleToNewLambdaThenInvoke",
        _PASS,
        "lambda:CreateFunction",
        "lambda:InvokeFunction",
        passed_to="lambda.amazonaws.com",
    ),
    _p(
        "lambda-002",
        "PassExistingRoleToNewLambdaThenTriggerWithDynamo",
        _PASS,
        "lambda:CreateFunction",
        "lambda:CreateEventSourceMapping",
        passed_to="lambda.amazonaws.com",
    ),
    _p(
        "lambda-006",
        "PassExistingRoleToNewLambdaThenAddPermission",
        _PASS,
        "lambda:CreateFunction",
        "lambda:AddPermission",
        passed_to="lambda.amazonaws.com",
    ),
    _p("glue-001", "PassExistingRoleToNewGlueDevEndpoint", _PASS, "glue:CreateDevEndpoint", passed_to="glue.amazonaws.com"),
    _p(
        "glue-003",
        "PassExistingRoleToNewGlueJobThenRun",
        _PASS,
        "glue:CreateJob",
        "glue:StartJobRun",
        passed_to="glue.amazonaws.com",
    ),
    _p(
        "glue-004",
        "PassExistingRoleToNewGlueJobViaTrigger",
        _PASS,
        "glue:CreateJob",
        "glue:CreateTrigger",
        passed_to="glue.amazonaws.com",
    ),
    _p(
        "glue-005",
        "PassExistingRoleToUpdatedGlueJobThenRun",
        _PASS,
        "glue:UpdateJob",
        "glue:StartJobRun",
        passed_to="glue.amazonaws.com",
    ),
    _p(
        "cloudformation-001",
        "PassExistingRoleToCloudFormation",
        _PASS,
        "cloudformation:CreateStack",
        passed_to="cloudformation.amazonaws.com",
    ),
    _p(
        "cloudformation-003",
        "PassExistingRoleToNewCloudFormationStackSet",
        _PASS,
        "cloudformation:CreateStackSet",
        "cloudformation:CreateStackInstances",
        passed_to="cloudformation.amazonaws.com",
    ),
    _p(
        "cloudformation-004",
        "PassRoleToUpdateCloudFormationStackSet",
        _PASS,
        "cloudformation:UpdateStackSet",
        passed_to="cloudformation.amazonaws.com",
    ),
    _p(
        "datapipeline-001",
        "PassExistingRoleToNewDataPipeline",
        _PASS,
        "datapipeline:CreatePipeline",
        "datapipeline:PutPipelineDefinition",
        passed_to="datapipeline.amazonaws.com",
    ),
    _p(
        "apprunner-001",
        "PassExistingRoleToNewAppRunnerService",
        _PASS,
        "apprunner:CreateService",
        passed_to="tasks.apprunner.amazonaws.com",
    ),
    _p(
        "codebuild-001",
        "PassExistingRoleToNewCodeBuildProjectThenBuild",
        _PASS,
        "codebuild:CreateProject",
        "codebuild:StartBuild",
        passed_to="codebuild.amazonaws.com",
    ),
    _p(
        "ecs-004",
        "PassExistingRoleToNewECSTaskViaRunTask",
        _PASS,
        "ecs:RegisterTaskDefinition",
        "ecs:RunTask",
        passed_to="ecs-tasks.amazonaws.com",
    ),
    _p(
        "ecs-003",
        "PassExistingRoleToNewECSService",
        _PASS,
        "ecs:RegisterTaskDefinition",
        "ecs:CreateService",
        passed_to="ecs-tasks.amazonaws.com",
    ),
    _p(
        "sagemaker-001",
        "PassExistingRoleToNewSageMakerNotebookInstance",
        _PASS,
        "sagemaker:CreateNotebookInstance",
        passed_to="sagemaker.amazonaws.com",
    ),
    _p(
        "sagemaker-002",
        "PassExistingRoleToNewSageMakerTrainingJob",
        _PASS,
        "sagemaker:CreateTrainingJob",
        passed_to="sagemaker.amazonaws.com",
    ),
    _p(
        "sagemaker-003",
        "PassExistingRoleToNewSageMakerProcessingJob",
        _PASS,
        "sagemaker:CreateProcessingJob",
        passed_to="sagemaker.amazonaws.com",
    ),
    _p(
        "bedrock-001",
        "PassExistingRoleToNewBedrockCodeInterpreter",
        _PASS,
        "bedrock-agentcore:CreateCodeInterpreter",
        "bedrock-agentcore:StartCodeInterpreterSession",
        "bedrock-agentcore:InvokeCodeInterpreter",
        passed_to="bedrock-agentcore.amazonaws.com",
    ),
    _p(
        "agentgov-004",
        "PassExistingRoleToNewAgentCoreRuntimeThenInvoke",
        _PASS,
        "bedrock-agentcore:CreateAgentRuntime",
        "bedrock-agentcore:InvokeAgentRuntime",
        passed_to="bedrock-agentcore.amazonaws.com",
    ),
    _p(
        "agentgov-005",
        "PassExistingRoleToNewBedrockAgentThenInvoke",
        _PASS,
        "bedrock:CreateAgent",
        "bedrock:InvokeAgent",
        passed_to="bedrock.amazonaws.com",
    ),
    # AG110's AgentCore paths: a new browser or harness runs with a passed role
    _p(
        "agentgov-009",
        "PassExistingRoleToNewAgentCoreBrowserThenDrive",
        _PASS,
        "bedrock-agentcore:CreateBrowser",
        "bedrock-agentcore:StartBrowserSession",
        "bedrock-agentcore:ConnectBrowserAutomationStream",
        passed_to="bedrock-agentcore.amazonaws.com",
    ),
    _p(
        "agentgov-010",
        "PassExistingRoleToNewAgentCoreHarnessThenInvoke",
        _PASS,
        "bedrock-agentcore:CreateHarness",
        "bedrock-agentcore:InvokeHarness",
        passed_to="bedrock-agentcore.amazonaws.com",
    ),
    # changing what an existing resource with a role runs
    _p("lambda-003", "EditExistingLambdaFunctionWithRole", "lambda:UpdateFunctionCode@*"),
    _p("glue-002", "UpdateExistingGlueDevEndpoint", "glue:UpdateDevEndpoint@*"),
    _p(
        "cloudformation-005",
        "ExecuteCloudFormationChangeSet",
        "cloudformation:CreateChangeSet@*",
        "cloudformation:ExecuteChangeSet@*",
    ),
    _p(
        "ec2-002",
        "ModifyEC2InstanceUserDataThenRestart",
        "ec2:ModifyInstanceAttribute@*",
        "ec2:StopInstances@*",
        "ec2:StartInstances@*",
    ),
    _p("ec2-004", "ModifyExistingEC2LaunchTemplate", "ec2:CreateLaunchTemplateVersion@*", "ec2:ModifyLaunchTemplate@*"),
    _p("ec2instanceconnect-003", "EC2InstanceConnectSendSSHPublicKey", "ec2-instance-connect:SendSSHPublicKey@*"),
    _p("ecs-006", "ECSExecuteCommandOnRunningTask", "ecs:ExecuteCommand@*"),
    _p("agentgov-006", "SSMSendCommandToAnyInstance", "ssm:SendCommand@*"),
    _p("sagemaker-004", "CreatePresignedSageMakerNotebookUrl", "sagemaker:CreatePresignedNotebookInstanceUrl@*"),
    _p(
        "bedrock-002",
        "AccessExistingBedrockCodeInterpreterSession",
        "bedrock-agentcore:StartCodeInterpreterSession@*",
        "bedrock-agentcore:InvokeCodeInterpreter@*",
    ),
    # AG110's AgentCore paths on existing agent compute: a shell command in any runtime, the automation stream of any
    # browser (each acts with the runtime's or browser's role)
    _p("agentgov-007", "RunCommandInAnyAgentCoreRuntime", "bedrock-agentcore:InvokeAgentRuntimeCommand@*"),
    _p(
        "agentgov-008",
        "DriveAnyAgentCoreBrowserSession",
        "bedrock-agentcore:StartBrowserSession@*",
        "bedrock-agentcore:ConnectBrowserAutomationStream@*",
    ),
)

#: AG110: what opens a command, browser-automation or interpreter session on agent compute. Each need is on any
#: resource (a grant on one runtime opens a session on that runtime; a grant only on AWS's own built-in browser or code
#: interpreter, account ``aws``, is not on agent compute). Creating compute also needs ``iam:PassRole`` of an agent role
#: (the analyzer resolves which roles a PassRole grant names). Every action here is one of ``PATHS``'
#: (tests/test_iam_data.py), which is what makes ``privilege_escalation.grants`` read it.
SESSION_PATHS: tuple[Path, ...] = (
    _p("AG110-command", "CommandSessionInAgentCoreRuntime", "bedrock-agentcore:InvokeAgentRuntimeCommand"),
    _p(
        "AG110-browser",
        "AutomationSessionOnAgentCoreBrowser",
        "bedrock-agentcore:StartBrowserSession",
        "bedrock-agentcore:ConnectBrowserAutomationStream",
    ),
    *(
        _p(
            f"AG110-create-{what.lower()}",
            f"PassAgentRoleToNew{what}",
            "iam:PassRole",
            f"bedrock-agentcore:Create{what}",
            passed_to="bedrock-agentcore.amazonaws.com",
        )
        for what in ("Browser", "CodeInterpreter", "AgentRuntime", "Harness")
    ),
)

PATHFINDING = "https://pathfinding.cloud/paths/"
