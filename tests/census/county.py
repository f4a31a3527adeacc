"""One real object of every kind in 双桥区 ("the county"), built through the actions.

The route census fills these ids into every route; the append-only tests find a row of every
immutable table among them. Every text the county writes carries MARKER, so a page or an
answer that shows an outsider any of it is caught by looking for one string.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image

from ducha.accountability import actions as accountability
from ducha.accountability.models import AccountabilityKind
from ducha.accounts.actions import do_issue_token
from ducha.accounts.audit import record
from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.keys.models import SecurityKey
from ducha.accounts.models import Membership, User
from ducha.cadres import actions as cadres
from ducha.daily import actions as daily
from ducha.documents import actions as documents
from ducha.fieldwork import actions as fieldwork
from ducha.fieldwork.evidence import do_attach_evidence
from ducha.ledger.actions import do_upload_import
from ducha.matters import actions as matters
from ducha.matters.models import MatterHandover
from ducha.notices.actions import do_notify
from ducha.notices.delivery.models import Delivery, OrgChannel
from ducha.notices.models import Notification
from ducha.orgs.models import Org, Site
from ducha.policies import actions as policies
from ducha.problems import actions as loop
from ducha.problems.models import FocusArea
from ducha.referrals import actions as referrals
from ducha.reportforms import actions as reportforms
from ducha.reportforms.filling import do_fill_return
from ducha.reportforms.models import FormItem, ReportForm
from ducha.resumption import actions as resumption
from ducha.suggestions import actions as suggestions
from ducha.sweeps import actions as sweeps
from ducha.sweeps.selection import Choice
from tests.cadres.personas import add_organisation
from tests.policies import files as policy_files
from tests.world import PASSWORD, World

# ASCII, so that it reads the same in HTML, in JSON and in a file name.
MARKER = "CENSUSMARK"


@dataclass
class County:
    """Object ids by kind; each kind has one or more objects in different states."""

    ids: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, obj: Any) -> Any:
        self.ids.setdefault(kind, []).append(obj.pk)
        return obj


def _png(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _ledger(name: str) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "问题台账"
    sheet.append(["问题", "地区", "督查重点", "发现时间"])
    found = timezone.make_naive(timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    sheet.append([f"{MARKER} 台账问题", "河北省/承德市/双桥区", "排查", found])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def add_neighbours(world: World) -> None:
    """The roles the world lacks next door: 双滦区's leader, three administrators (三员),
    discipline body and command HQ, so that every role is tried from a neighbouring
    jurisdiction."""
    sibling = world.orgs["sibling"]
    for kind, name in (("discipline", "双滦区纪委监委"), ("command", "双滦区疫情防控指挥部")):
        world.orgs[f"sibling_{kind}"] = Org.objects.create(kind=kind, name=name, parent=sibling)
    for key, org, role in (
        ("sibling_leader", "sibling_office", "leader"),
        ("sibling_admin", "sibling_office", "system_admin"),
        ("sibling_security", "sibling_office", "security_admin"),
        ("sibling_audit", "sibling_office", "audit_admin"),
        ("sibling_discipline", "sibling_discipline", "discipline"),
        ("sibling_command", "sibling_command", "command"),
    ):
        user = User.objects.create_user(key, password=PASSWORD, name=key)
        Membership.objects.create(user=user, org=world.orgs[org], role=role)
        world.users[key] = user
    # The organisation departments of the county, the city and the neighbour.
    add_organisation(world)


def _report_form(world: World, number: int, decision: str, **extra: Any) -> ReportForm:
    form = ReportForm(
        region=world.orgs["county"],
        number=number,
        name=f"{MARKER} 报表{number}",
        department=world.orgs["county_dept"],
        frequency="daily",
        filled_by=5,
        minutes=10,
        decision=decision,
        created_by=world.users["county_office"],
        **extra,
    )
    form.copy_levels_from(world.orgs["county"])
    form.save()
    FormItem.objects.create(
        form=form, position=1, label=f"{MARKER} 情况", key="note", kind="text", required=False
    )
    FormItem.objects.create(
        form=form,
        position=2,
        label="问题数",
        key="found",
        kind="integer",
        shared_figure="problems_found",
    )
    return form


def _collection(world: World, county: County) -> None:
    """一表通: a kept form a village committee fills, one merged into it and one served from
    shared data (the register's rows as its actions would leave them), and the village's
    return of today. Numbered from 91, clear of the register's own census forms."""
    village = Org.objects.create(kind="region", name="石门村", level=5, parent=world.orgs["town"])
    committee = Org.objects.create(kind="department", name="石门村村委会", parent=village)
    filler = User.objects.create_user("county_village_handler", password=PASSWORD, name="村经办人")
    Membership.objects.create(user=filler, org=committee, role="unit_handler")
    world.orgs["village"], world.users["county_village_handler"] = village, filler
    kept = county.add("report_form", _report_form(world, 91, "keep"))
    county.add("report_form", _report_form(world, 92, "merge", merged_into=kept))
    county.add("report_form", _report_form(world, 93, "shared"))
    county.add(
        "form_return",
        do_fill_return(
            kept,
            acting_user=filler,
            region=village,
            org=committee,
            period=timezone.localdate(),
            values={"note": f"{MARKER} 已填报", "found": 2},
        ),
    )


def build_county(world: World) -> County:
    county = County()
    office, team_member = world.users["county_office"], world.users["county_team_member"]
    handler = world.users["county_handler"]
    team = world.teams["county_team"]
    screening = FocusArea.objects.get(code="screening")
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    site = county.add(
        "site",
        Site.objects.create(name=f"{MARKER} 卡口", kind="checkpoint", region=world.orgs["town"]),
    )
    county.add("region", world.orgs["county"])
    county.add("office", world.orgs["county_office"])
    county.add("unit", world.orgs["county_dept"])
    county.add("team", team)
    county.add("user", office)
    county.add("focus_area", screening)

    # The loop: a problem assigned to 卫健局, and one closed, whose revisit is due.
    problem = county.add("problem", world.assigned(title=f"{MARKER} 问题", site=site))
    county.add("problem_event", problem.events.order_by("pk").last())
    closed = world.assigned(title=f"{MARKER} 已销号问题")
    closed = loop.do_submit_rectification(closed, acting_user=handler, text=f"{MARKER} 已整改")
    closed = loop.do_verify(closed, acting_user=office, accept=True)
    county.add("problem", closed)
    county.add("revisit", closed.revisits.get())
    done = world.assigned(title=f"{MARKER} 复查过的问题")
    done = loop.do_submit_rectification(done, acting_user=handler, text=f"{MARKER} 已整改")
    done = loop.do_verify(done, acting_user=office, accept=True)
    county.add(
        "revisit",
        fieldwork.do_record_revisit(
            done.revisits.get(), acting_user=office, passed=True, note=f"{MARKER} 复查"
        ),
    )

    # Field work: a checklist, an evening meeting, an open and an unannounced visit, a visit
    # made, and a photo of the problem.
    item = county.add(
        "checklist_item",
        fieldwork.do_add_checklist_item(
            acting_user=office,
            focus_area=screening,
            office=world.orgs["county_office"],
            text=f"{MARKER} 是否逐车登记",
        ),
    )
    meeting = county.add(
        "meeting",
        fieldwork.do_record_meeting(
            acting_user=office,
            office=world.orgs["county_office"],
            held_on=today,
            title=f"{MARKER} 会商",
        ),
    )
    for days, method in ((1, "open"), (2, "unannounced")):
        county.add(
            "task",
            fieldwork.do_plan_task(
                acting_user=office,
                office=world.orgs["county_office"],
                team=team,
                day=today + timedelta(days=days),
                method=method,
                focus_areas=[screening],
                sites=[site],
                meeting=meeting,
                notes=f"{MARKER} 任务",
            ),
        )
    county.add(
        "inspection",
        fieldwork.do_record_inspection(
            acting_user=team_member,
            team=team,
            method="open",
            visited_at=timezone.now() - timedelta(hours=3),
            sites=[site],
            answers=[fieldwork.AnswerInput(item=item, result="pass", note=f"{MARKER} 答")],
            notes=f"{MARKER} 检查",
        ),
    )
    county.add(
        "evidence",
        do_attach_evidence(acting_user=office, upload=_png(f"{MARKER}.png"), problem=problem),
    )

    # The daily cycle of yesterday: the team's report and the office's summary, both written.
    report, _ = daily.do_draft_report(team, yesterday, acting_user=team_member)
    county.add(
        "daily_report",
        daily.do_edit_report(report, acting_user=team_member, work=f"{MARKER} 工作"),
    )
    summary, _ = daily.do_draft_summary(world.orgs["county_office"], yesterday, acting_user=office)
    county.add(
        "daily_summary",
        daily.do_edit_summary(summary, acting_user=office, overview=f"{MARKER} 概况"),
    )

    # Documents: a draft, and an issued problem list (its problems and files are records).
    county.add(
        "document",
        documents.do_create_draft(
            acting_user=office,
            kind="bulletin",
            issuer=world.orgs["county_office"],
            params={},
            title=f"{MARKER} 通报",
        ),
    )
    issued = documents.do_create_draft(
        acting_user=office,
        kind="problem_list",
        issuer=world.orgs["county_office"],
        params={"responsible_org": world.orgs["county_dept"].pk},
        title=f"{MARKER} 问题清单",
    )
    county.add("document", documents.do_issue_document(issued, acting_user=office))

    county.add(
        "import_batch", do_upload_import(acting_user=office, upload=_ledger(f"{MARKER}.xlsx"))
    )
    # Matters the county office hands to its town's office; the town has signed one.
    batch = county.add(
        "matter_batch",
        matters.do_hand_down_batch(
            acting_user=office,
            issuing_office=world.orgs["county_office"],
            offices=[world.orgs["town_office"]],
            title=f"{MARKER} 交办事项",
            source_kind="meeting",
            source_text=f"{MARKER} 会议",
            issued_on=today,
            matters=[
                matters.MatterInput(title=f"{MARKER} 事项{n}", deadline=today + timedelta(days=9))
                for n in (1, 2)
            ],
        ),
    )
    handovers = list(batch.matters.order_by("position").values_list("handovers", flat=True))
    for pk in handovers:
        county.add("matter_handover", MatterHandover.objects.get(pk=pk))
    matters.do_sign_matter(
        MatterHandover.objects.get(pk=handovers[0]), acting_user=world.users["town_office"]
    )
    # A referral of the open problem to the county's discipline body, which took it up.
    county.add("receiving_body", world.orgs["county_discipline"])
    referral = referrals.do_refer(
        acting_user=office,
        problem=problem,
        receiver=world.orgs["county_discipline"],
        facts=f"{MARKER} 线索",
        evidence_ids=list(problem.evidence.values_list("pk", flat=True)),
    )
    county.add(
        "referral",
        referrals.do_accept(
            referral, acting_user=world.users["county_discipline"], comment=f"{MARKER} 受理"
        ),
    )
    # A sweep from the open problem: 卫健局 is asked to check itself, with a prompt letter.
    county.add("unit", world.orgs["county_dept"])
    sweep = county.add(
        "sweep",
        sweeps.do_launch_sweep(
            acting_user=office,
            origin=problem,
            check_text=f"{MARKER} 自查",
            choice=Choice(unit_ids=[world.orgs["county_dept"].pk]),
        ),
    )
    county.add("self_check", sweep.checks.get())
    # A cadre the county's team observed, on the county's organisation department's list.
    add_organisation(world)
    observation = county.add(
        "cadre_observation",
        cadres.do_observe(
            acting_user=team_member,
            person_name=f"{MARKER} 干部",
            person_post=f"{MARKER} 副局长",
            org=world.orgs["county_dept"],
            verdict="outstanding",
            facts=f"{MARKER} 表现",
            team=team,
            observed_on=yesterday,
        ),
    )
    county.add(
        "cadre_candidate",
        cadres.do_list_candidate(
            acting_user=world.users["county_organisation"],
            list_kind="use",
            person_name=observation.person_name,
            person_post=observation.person_post,
            org=observation.org,
            observations=[observation],
            reasons=f"{MARKER} 理由",
        ),
    )
    # Accountability: a measure the discipline body proposed and a leader decided about a
    # person of 卫健局, and the office's commendation of the unit.
    measure = accountability.do_propose_accountability(
        acting_user=world.users["county_discipline"],
        kind=AccountabilityKind.objects.get(code="interview"),
        subject_kind="person",
        org=world.orgs["county_dept"],
        person_name=f"{MARKER} 姓名",
        reason=f"{MARKER} 事实",
        problems=[problem.pk],
    )
    county.add(
        "accountability",
        accountability.do_decide(
            measure, acting_user=world.users["county_leader"], decided_on=today
        ),
    )
    county.add(
        "commendation",
        accountability.do_propose_commendation(
            acting_user=office,
            kind="advanced",
            subject_kind="unit",
            org=world.orgs["county_dept"],
            reason=f"{MARKER} 先进事迹",
        ),
    )
    # Suggestions: one the county office made to 卫健局, waiting; one the county's team
    # made, adopted by 卫健局 and cited by a common problem's lasting rule.
    county.add(
        "suggestion",
        suggestions.do_suggest(
            acting_user=office,
            office=world.orgs["county_office"],
            receiver=world.orgs["county_dept"],
            title=f"{MARKER} 建议",
            text=f"{MARKER} 建议内容",
            problems=[problem],
        ),
    )
    adopted = suggestions.do_suggest(
        acting_user=team_member,
        team=team,
        receiver=world.orgs["county_dept"],
        title=f"{MARKER} 组建议",
        text=f"{MARKER} 组建议内容",
    )
    adopted = suggestions.do_respond(
        adopted, acting_user=handler, state="adopted", response=f"{MARKER} 采纳"
    )
    common = world.assigned(title=f"{MARKER} 共性问题", nature="common")
    common = loop.do_institutionalize(common, acting_user=office, rule=f"{MARKER} 长效机制")
    suggestions.do_cite_suggestion(adopted, acting_user=office, problem=common)
    county.add("suggestion", adopted)
    _collection(world, county)
    # Report forms: one the county keeps, and one merged into it.
    kept = reportforms.do_register_form(
        acting_user=office,
        region=world.orgs["county"],
        number=1,
        name=f"{MARKER} 统计表",
        department=world.orgs["county_dept"],
        frequency="daily",
        filled_by=5,
        minutes=20,
        items=[{"label": f"{MARKER} 返岗人数"}],
    )
    county.add("report_form", reportforms.do_decide_form(kept, acting_user=office, decision="keep"))
    merged = reportforms.do_register_form(
        acting_user=office,
        region=world.orgs["county"],
        number=2,
        name=f"{MARKER} 重复表",
        department=world.orgs["county_dept"],
        frequency="daily",
        filled_by=5,
        minutes=10,
        items=[{"label": f"{MARKER} 返岗人数"}],
    )
    reportforms.do_decide_form(merged, acting_user=office, decision="merge", merged_into=kept)
    county.add("report_form", merged)
    # The 复工复产 ledger: an enterprise of the town under 卫健局, filed, working, with its
    # ledger and a need; and a project outside the county's supervision.
    working = resumption.do_register_enterprise(
        acting_user=office,
        kind="enterprise",
        name=f"{MARKER} 企业",
        category="industry_above_scale",
        region=world.orgs["town"],
        registered_on=yesterday,
        supervisor=world.orgs["county_dept"],
    )
    working = resumption.do_change_status(working, acting_user=handler, action="file", on=yesterday)
    working = resumption.do_change_status(working, acting_user=office, action="resume", on=today)
    resumption.do_record_ledger(
        working,
        acting_user=handler,
        staff_total=10,
        staff_screened=10,
        supplies=[{"name": f"{MARKER} 口罩", "quantity": 100, "unit": "只", "days": 7}],
        responsible_person=f"{MARKER} 负责人",
    )
    resumption.do_report_need(working, acting_user=office, kind="supplies", text=f"{MARKER} 缺料")
    county.add("enterprise", working)
    county.add(
        "enterprise",
        resumption.do_register_enterprise(
            acting_user=office,
            kind="project",
            name=f"{MARKER} 工程",
            category="construction",
            region=world.orgs["county"],
            registered_on=today,
            supervised=False,
            excluded_reason=f"{MARKER} 省级监管",
        ),
    )
    token, _ = do_issue_token(acting_user=handler, name=f"{MARKER} 脚本")
    county.add("token", token)
    # A row of the security audit trail about an account of the county, which the county's
    # audit administrator (the world's county_audit_admin) alone reads.
    county.add("security_event", record(SecurityEventKind.EXPORT, actor=handler, what=MARKER))
    county.add(
        "security_key",
        SecurityKey.objects.create(
            user=handler, name=f"{MARKER} 密钥", credential_id="census", public_key=b""
        ),
    )
    # A notification of the county's handler: only its recipient reads or marks it.
    [notification] = do_notify(
        recipients=[handler],
        kind="assigned",
        title=f"{MARKER} 交办",
        body=f"{MARKER} 通知",
        url=f"/problems/{problem.pk}/",
        actor=office,
        subject_type="problem",
        subject_id=problem.pk,
        source_key="census:1",
    )
    county.add("notification", Notification.objects.get(pk=notification))
    # Delivery: the county office's group robot, and a message it failed to post.
    robot = county.add(
        "org_channel",
        OrgChannel.objects.create(
            org=world.orgs["county_office"],
            channel="wecom",
            label=f"{MARKER} 督查群",
            webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=census",
        ),
    )
    notification = Notification.objects.create(
        recipient=office, kind="assigned", title=f"{MARKER} 通知", body=MARKER, source_key="census"
    )
    Delivery.objects.create(
        notification=notification,
        channel="wecom",
        target=robot.target,
        robot=robot,
        status="failed",
        last_error=f"{MARKER} refused",
    )
    # Common problems of the county: one answered by the city HQ's policy, one still waiting.
    answered = world.problem(title=f"{MARKER} 共性问题", nature="common")
    world.problem(title=f"{MARKER} 待研究共性问题", nature="common")
    county.add(
        "policy",
        policies.do_adopt_policy(
            acting_user=world.users["city_command"],
            title=f"{MARKER} 政策措施",
            text=f"{MARKER} 措施",
            issuing_body=world.orgs["city_command"],
            issued_on=today,
            problem_ids=[answered.pk],
            # Its Word file carries the marker, which the census looks for inside files.
            document=policy_files.upload(policy_files.word(f"{MARKER} 政策措施全文")),
        ),
    )
    return county
