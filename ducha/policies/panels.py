"""The section a problem's page shows when its lasting rule came from a policy (added to the
problems layer's `PROBLEM_PANELS` in `PoliciesConfig.ready()`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from ducha.policies.models import Policy, PolicyProblem
from ducha.problems.models import Problem


def policy_panel(request: HttpRequest, problem: Problem) -> str:
    """The policy a problem's rule came from. Whoever sees the problem sees the policy (its
    rule is on the page already); its page opens for those the policy's scope admits."""
    link = (
        PolicyProblem.objects.filter(problem=problem).select_related("policy__issuing_body").first()
    )
    if link is None:
        return ""
    policy = link.policy
    visible = Policy.objects.visible_to(request.user).filter(pk=policy.pk).exists()
    return render_to_string(
        "policies/_panel.html", {"policy": policy, "visible": visible}, request=request
    )
