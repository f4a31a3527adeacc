from django.urls import path

from ducha.fieldwork import field_app, inspection_views, views
from ducha.fieldwork.evidence_views import evidence_urlpatterns

app_name = "fieldwork"
urlpatterns = [
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/new/", views.plan_task, name="plan_task"),
    path("tasks/overlaps/", views.plan_overlaps, name="plan_overlaps"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/join/", views.task_join, name="task_join"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task_cancel"),
    path("day/", views.day_pick, name="day_pick"),
    path("day/<str:day>/", views.day_view, name="day"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("inspections/new/", inspection_views.record_inspection, name="record_inspection"),
    path("inspections/<int:pk>/", inspection_views.inspection_detail, name="inspection"),
    path("offline/", field_app.field_app, name="field_app"),
    path("offline/sw.js", field_app.field_worker, name="field_worker"),
    path("offline/manifest.webmanifest", field_app.field_manifest, name="field_manifest"),
    path("burden/", views.burden, name="burden"),
    path("sites/<int:pk>/burden/", views.site_burden_view, name="site_burden"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/<int:pk>/revise/", views.checklist_revise, name="checklist_revise"),
    path("checklists/<int:pk>/retire/", views.checklist_retire, name="checklist_retire"),
    path("revisits/", views.revisits, name="revisits"),
    path("revisits/sample/", views.revisit_sample, name="revisit_sample"),
    path("revisits/<int:pk>/result/", views.revisit_result, name="revisit_result"),
    *evidence_urlpatterns,
]
