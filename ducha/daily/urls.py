from django.urls import path

from ducha.daily import record_views, views
from ducha.daily.record_views import REPORT_PAGES, SUMMARY_PAGES

app_name = "daily"
report, summary = {"pages": REPORT_PAGES}, {"pages": SUMMARY_PAGES}
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", record_views.detail, report, name="report"),
    path("reports/<int:pk>/submit/", record_views.close, report, name="report_submit"),
    path("reports/<int:pk>/refresh/", record_views.refresh, report, name="report_refresh"),
    path("reports/<int:pk>/return/", record_views.report_return, name="report_return"),
    path("summaries/", views.summaries, name="summaries"),
    path("summaries/<int:pk>/", record_views.detail, summary, name="summary"),
    path("summaries/<int:pk>/finalise/", record_views.close, summary, name="summary_finalise"),
    path("summaries/<int:pk>/refresh/", record_views.refresh, summary, name="summary_refresh"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/tick/", views.agenda_tick, name="agenda_tick"),
    path("draft/", views.draft_now, name="draft_now"),
]
